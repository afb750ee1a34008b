package org.regionfailover.cli;

/** Entry point: wires the stages and runs the command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("region-failover");
  }
}
