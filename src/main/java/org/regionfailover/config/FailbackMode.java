package org.regionfailover.config;

/**
 * Fail-back: by itself once an earlier region has held up ({@code AUTO}), only when an
 * operator asks ({@code MANUAL}: the waiting fail-back is shown and reported), or never.
 */
public enum FailbackMode { AUTO, MANUAL, OFF }
