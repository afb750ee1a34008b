// The status page: polls /status and /history, draws them, and posts operators' commands;
// with several failover sets, a section per set, each polling and commanding its own set.
// No framework and nothing inline, so that the page runs under `default-src 'self'`.
// Every string from the server goes into the page as text, never as HTML: failure reasons
// carry what remote servers answered.
'use strict';

(function () {
  // /status is cheap (one snapshot); every 3 s keeps the outage clock honest without
  // loading the server. /history is an hour of probes: every 10 s, or at once when a
  // transition appears, and with every /status while the host is down or switching (the
  // failures on the plot keep up with the banner).
  var STATUS_EVERY_MS = 3000;
  var HISTORY_EVERY_MS = 10000;
  var REQUEST_TIMEOUT_MS = 4000;
  // Three missed answers: the data on screen is no longer what the host is doing.
  var STALE_AFTER_MS = 10000;
  var PLOT_HEIGHT = 150;
  // The strip of the applications' calls failing (issue 27), under each latency plot.
  var STRIP_HEIGHT = 64;
  var HOUR_S = 3600;
  // The time axis spans the data while there is less than an hour of it, but at least this.
  var MIN_SPAN_S = 30;
  // The time axis's steps, in seconds: a label carries its seconds only when the step is
  // under a minute, so that no two labels read the same.
  var TIME_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
  // The states in which the plot must keep up with the banner.
  var URGENT_STATES = { down: true, switching: true };

  // Whatever the content security policy refuses is a bug of this page: say so where a
  // developer (or the browser test) looks.
  document.addEventListener('securitypolicyviolation', function (e) {
    console.error('refused by the content security policy (' + e.violatedDirective + '): '
      + (e.blockedURI || 'inline') + ' in ' + e.sourceFile + ':' + e.lineNumber);
  });

  // The server's address for a path, resolved against the page so that a prefix from a
  // reverse proxy survives, but without user:password: a page opened as
  // http://user:pass@host/ would otherwise make every fetch throw ("Request cannot be
  // constructed from a URL that includes credentials").
  function pageEndpoint(path) {
    var u = new URL(path, window.location.href);
    u.username = '';
    u.password = '';
    return u.toString();
  }

  // The text of an element, changed only when it differs (an operator may be selecting it).
  function put(e, text) {
    if (e.textContent !== text) {
      e.textContent = text;
    }
  }

  // One set's part of the page, in the elements whose ids end with opts.suffix ('' with one
  // set): its own polls, state, plots and commands, under opts.base ('' or 'set/NAME/').
  // opts.primary: this part also keeps the page's header, footer and title.
  function view(opts) {
    var name = opts.name;
    var suffix = opts.suffix;
    var base = opts.base;
    var root = opts.root;
    var single = opts.single;
    var primary = opts.primary;
    // Who a command's dialog and answer are about, when the page shows several sets.
    var whose = single ? '' : 'Set ' + name + ': ';

    var status = null;
    var history = null;
    // The server's clock minus the browser's: countdowns count against the server's time,
    // so a laptop whose clock is off does not show a fail-back that already happened.
    var skewMs = 0;
    var lastAnswerAt = 0;
    var lastError = '';
    var historyKey = null;
    // The regions plotted, and which have a traffic strip: a change draws them anew.
    var plotsKey = '';
    var plots = [];
    var busy = false;

    // For the browser test and for an operator's console: the live plots and what was drawn
    // (with several sets, each set's under window.rfSets[NAME]).
    // timeline: each /status answered and each /history drawn, in order (for the test that
    // the failures reach the plot within one /status of the banner).
    var exposed = { plots: plots, markers: [], timeline: [] };
    var statusAnswers = 0;
    if (single) {
      window.rfPlots = plots;
      window.rfMarkers = [];
      window.rfTimeline = exposed.timeline;
    } else {
      window.rfSets = window.rfSets || {};
      window.rfSets[name] = exposed;
    }

    // This set's element: with several sets, each section's ids end with --NAME.
    function $(id) {
      return document.getElementById(id + suffix);
    }

    // This set's address for a path: with several sets, under set/NAME/.
    function endpoint(path) {
      return pageEndpoint(base + path);
    }

    function serverNow() {
      return Date.now() + skewMs;
    }

    function parseTime(iso) {
      return iso ? Date.parse(iso) : NaN;
    }

    // --- formatting -------------------------------------------------------------------------

    function two(n) {
      return n < 10 ? '0' + n : '' + n;
    }

    function duration(ms) {
      var s = Math.max(0, Math.round(ms / 1000));
      if (s < 60) {
        return s + 's';
      }
      var m = Math.floor(s / 60);
      if (m < 60) {
        return m + 'm ' + (s % 60) + 's';
      }
      var h = Math.floor(m / 60);
      if (h < 48) {
        return h + 'h ' + two(m % 60) + 'm';
      }
      return Math.floor(h / 24) + 'd ' + (h % 24) + 'h';
    }

    function clockTime(ms) {
      var d = new Date(ms);
      var t = two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
      var today = new Date(serverNow());
      if (d.toDateString() === today.toDateString()) {
        return t;
      }
      return d.toLocaleDateString(undefined, { weekday: 'short', month: 'short', day: 'numeric' })
        + ' ' + t;
    }

    function ago(ms) {
      var d = serverNow() - ms;
      if (d < -2000) {
        return 'in ' + duration(-d);
      }
      if (d < 5000) {
        return 'just now';
      }
      if (d < 60000) {
        return Math.round(d / 1000) + ' s ago';
      }
      if (d < 3600000) {
        return Math.floor(d / 60000) + ' min ago';
      }
      if (d < 172800000) {
        return Math.floor(d / 3600000) + ' h ago';
      }
      return Math.floor(d / 86400000) + ' days ago';
    }

    // A time in a table: the clock time, and an age that tick() keeps current in place, so
    // that the rows are rebuilt only when the data changes (an operator may be selecting text).
    function whenNode(iso) {
      var t = parseTime(iso);
      var f = document.createDocumentFragment();
      if (isNaN(t)) {
        f.appendChild(document.createTextNode('\u2013'));
        return f;
      }
      f.appendChild(document.createTextNode(clockTime(t) + ' ('));
      var age = el('span', 'age', ago(t));
      age.dataset.at = t;
      f.appendChild(age);
      f.appendChild(document.createTextNode(')'));
      return f;
    }

    function refreshAges() {
      document.querySelectorAll('.age[data-at]').forEach(function (e) {
        var text = ago(Number(e.dataset.at));
        if (e.textContent !== text) {
          e.textContent = text;
        }
      });
    }

    function whenText(iso) {
      var t = parseTime(iso);
      return isNaN(t) ? '\u2013' : clockTime(t) + ' (' + ago(t) + ')';
    }

    function untilText(iso) {
      var t = parseTime(iso);
      return isNaN(t) ? '' : 'in ' + duration(t - serverNow()) + ', at ' + clockTime(t);
    }

    function setText(id, text) {
      put($(id), text);
    }

    // An element of the page's header or footer, shared by the sets.
    function setPageText(id, text) {
      put(document.getElementById(id), text);
    }

    function el(tag, cls, text) {
      var e = document.createElement(tag);
      if (cls) {
        e.className = cls;
      }
      if (text !== undefined && text !== null) {
        e.textContent = text;
      }
      return e;
    }

    function pill(word, kind) {
      return el('span', 'pill ' + kind, word);
    }

    function cell(row, content, cls) {
      var td = el('td', cls);
      if (content instanceof Node) {
        td.appendChild(content);
      } else {
        td.textContent = content === null || content === undefined ? '\u2013' : content;
      }
      row.appendChild(td);
      return td;
    }

    function withSub(main, sub) {
      var f = document.createDocumentFragment();
      f.appendChild(main instanceof Node ? main : document.createTextNode(main));
      if (sub) {
        var e = el('span', 'sub');
        e.appendChild(sub instanceof Node ? sub : document.createTextNode(sub));
        f.appendChild(e);
      }
      return f;
    }

    function joined() {
      var f = document.createDocumentFragment();
      Array.prototype.forEach.call(arguments, function (part) {
        f.appendChild(part instanceof Node ? part : document.createTextNode(part));
      });
      return f;
    }

    function replaceRows(table, rows) {
      var body = $(table).tBodies[0];
      while (body.firstChild) {
        body.removeChild(body.firstChild);
      }
      rows.forEach(function (r) {
        body.appendChild(r);
      });
    }

    // --- what /status says --------------------------------------------------------------------

    // On a fleet host that follows the fleet, the fleet's hold and budget are the ones that
    // govern; the host's own stay unused until it falls back to deciding alone.
    function governing(s) {
      var f = s.fleet;
      if (f && f.joined && f.connected && !f.falls_back && f.budget) {
        return { fleet: true, held: !!f.hold, hold: f.hold, budget: f.budget };
      }
      return { fleet: false, held: s.held, hold: s.hold, budget: s.budget };
    }

    function bannerClass(s) {
      if (s.state === 'down') {
        return 'state-down';
      }
      if (governing(s).held) {
        return 'state-held';
      }
      return s.state === 'watching' ? 'state-watching' : 'state-switching';
    }

    function budgetExhausted(g) {
      return !!g.budget && g.budget.max > 0 && g.budget.used >= g.budget.max;
    }

    function renderBanner(s) {
      var banner = $('banner');
      var cls = 'banner ' + bannerClass(s);
      if (banner.className !== cls) {
        banner.className = cls;
      }
      var g = governing(s);
      root.dataset.state = s.state + (g.held ? ' held' : '');
      if (single) {
        document.body.dataset.state = root.dataset.state;
      }
      setText('active-region', s.active_region);
      setText('preferred-note', s.active_region === s.preferred_region
        ? '(preferred region)' : '(preferred: ' + s.preferred_region + ')');
      var word = s.state.toUpperCase();
      if (s.state === 'down' && s.outage) {
        word = 'DOWN ' + duration(serverNow() - parseTime(s.outage.since));
      }
      if (g.held) {
        word = s.state === 'watching' ? 'HELD' : word + ' \u00b7 HELD';
      }
      setText('state-word', word);
      var detail = s.state_reason + ', since ' + whenText(s.state_since);
      if (g.held && g.hold) {
        detail += '. ' + (g.fleet ? 'The fleet is held' : 'Held') + ' by ' + g.hold.by
          + (g.hold.reason ? ' (' + g.hold.reason + ')' : '')
          + (g.hold.until ? ' until ' + clockTime(parseTime(g.hold.until)) : ' until released');
      }
      setText('state-detail', detail + '.');
      renderOutage(s);
      // /health covers this host's own parts; other regions and Datadog are only noted.
      var failing = (s.components || []).filter(function (c) {
        return c.status !== 'OK' && c.aggregated !== false;
      });
      var noted = (s.components || []).filter(function (c) {
        return c.status !== 'OK' && c.aggregated === false;
      });
      var line = failing.length === 0 ? 'health: OK' : 'health: FAIL \u2013 '
        + failing.map(function (c) {
          return c.name;
        }).join(', ');
      if (noted.length > 0) {
        line += ' (also failing, not counted in /health: ' + noted.map(function (c) {
          return c.name;
        }).join(', ') + ')';
      } else if (failing.length === 0) {
        line += ', every component';
      }
      setText('health-line', line);
    }

    function renderOutage(s) {
      var box = $('outage');
      if (!s.outage) {
        box.hidden = true;
        return;
      }
      box.hidden = false;
      var o = s.outage;
      var elapsed = serverNow() - parseTime(o.since);
      var threshold = o.threshold_s * 1000;
      var text = s.active_region + ' failing for ' + duration(elapsed) + ' of '
        + duration(threshold) + ': ';
      text += outageOutlook(s, elapsed, threshold);
      setText('outage-text', text);
      $('outage-bar').style.width = Math.min(100, Math.max(0, 100 * elapsed / threshold)) + '%';
    }

    // What happens next in an outage: who decides (the fleet, or this host alone) and when.
    function outageOutlook(s, elapsed, threshold) {
      var f = s.fleet;
      var g = governing(s);
      if (s.held) {
        return 'held, no automatic failover';
      }
      if (f && !f.falls_back) {
        if (!f.connected) {
          return 'ZooKeeper lost: this host keeps its region and decides nothing';
        }
        if (!f.joined) {
          return 'joining the fleet: this host decides nothing alone';
        }
        return fleetOutlook(f, g, threshold);
      }
      var prefix = f ? 'fallen back without ZooKeeper, this host decides alone: ' : '';
      if (budgetExhausted(g)) {
        return prefix + 'the failover budget is used up' + (g.budget.free_at
          ? ' until ' + clockTime(parseTime(g.budget.free_at)) : '');
      }
      if (elapsed < threshold) {
        return prefix + 'fails over in ' + duration(threshold - elapsed);
      }
      return prefix + 'threshold reached, failing over';
    }

    function fleetOutlook(f, g, threshold) {
      var q = f.quorum;
      if (g.held) {
        return 'the fleet is held by ' + g.hold.by + ': no automatic fleet failover; alone,'
          + ' this host repairs in place';
      }
      if (budgetExhausted(g)) {
        return 'the fleet\u2019s failover budget is used up' + (g.budget.free_at
          ? ' until ' + clockTime(parseTime(g.budget.free_at)) : '') + '; alone, this host'
          + ' repairs in place';
      }
      if (!q.possible) {
        return 'the fleet cannot move on its own: quorum ' + q.rule + ' needs ' + q.required
          + ' hosts and ' + q.live + ' are live; alone, this host repairs in place';
      }
      return 'the fleet moves when ' + q.required + ' of ' + q.live + ' live hosts see it down'
        + ' for ' + duration(threshold) + ' (' + q.seeing_down + ' '
        + (q.seeing_down === 1 ? 'does' : 'do') + '); alone, this host repairs in place';
    }

    function card(id, big, small, mark) {
      setText(id + '-text', big);
      setText(id + '-detail', small || '');
      var c = $('card-' + id);
      c.classList.toggle('attention', mark === 'attention');
      c.classList.toggle('alarm', mark === 'alarm');
    }

    // The fail-back button: not shown on the preferred region (nothing to fail back from),
    // and disabled, greyed, while the preferred region is down on its direct probe (the
    // server refuses it unless forced): ticking force enables it.
    function renderFailbackButton(s) {
      var f = s.failback;
      var button = $('btn-failback');
      var preferred = s.regions.filter(function (r) {
        return r.name === s.preferred_region;
      })[0];
      var preferredDown = !!preferred && preferred.direct.health === 'down';
      var home = s.active_region === s.preferred_region;
      button.hidden = home;
      var forced = $('force').checked;
      setText('btn-failback', 'Fail back now to ' + s.preferred_region
        + (preferredDown ? (forced ? ' (down: forced)' : ' (down)') : ''));
      button.classList.toggle('waiting', !!f.waiting_for_operator && !preferredDown);
      var blocked = home || (preferredDown && !forced);
      button.disabled = busy || blocked;
      button.toggleAttribute('data-unavailable', blocked);
      button.title = home ? 'the host is on ' + s.preferred_region + ' already'
        : preferredDown && !forced ? s.preferred_region + ' is down on its direct probe: tick'
          + ' force to fail back anyway' : '';
      return home;
    }

    function renderFailback(s) {
      var f = s.failback;
      var home = renderFailbackButton(s);
      if (home) {
        card('failback', 'on the preferred region', 'fail-back mode: ' + f.mode);
        return;
      }
      // The target is named only when a fail-back is coming (auto) or waiting (manual).
      var target = f.target || s.preferred_region;
      if (f.mode === 'off') {
        card('failback', 'off: the host stays on ' + s.active_region,
          'until an operator moves it (fail-back mode: off)');
        return;
      }
      if (f.mode === 'manual') {
        if (f.waiting_for_operator) {
          card('failback', target + ' is up: fail-back waits for an operator',
            'press "Fail back now" when ready (mode: manual)', 'attention');
        } else {
          card('failback', 'waits for ' + target + ' to come back up',
            'then for an operator (mode: manual)');
        }
        return;
      }
      var at = parseTime(f.at);
      if (!isNaN(at)) {
        var left = at - serverNow();
        card('failback', left > 0 ? 'fail-back to ' + target + ' in ' + duration(left)
          : 'fail-back to ' + target + ' due now', 'at ' + clockTime(at)
          + (s.held ? ', but the host is held' : '') + ' (mode: auto)', 'attention');
      } else if (governing(s).fleet) {
        var g = governing(s);
        card('failback', 'the fleet decides the fail-back', (g.held ? 'the fleet is held; '
          : '') + 'when ' + target + ' is up on a quorum of hosts\u2019 direct probes long'
          + ' enough (mode: auto)');
      } else {
        card('failback', 'no fail-back scheduled', (s.held ? 'held; ' : '') + 'waits for '
          + target + ' to be up on its direct probe long enough (mode: auto)');
      }
    }

    function renderBudget(s) {
      var g = governing(s);
      var b = g.budget;
      var whose = g.fleet ? ' by the fleet' : '';
      if (b.max === 0) {
        card('budget', b.used + ' used' + whose + ', no limit', 'in the last '
          + duration(b.window_s * 1000));
        return;
      }
      var head = b.used + ' of ' + b.max + ' used' + whose;
      var span = 'in the last ' + duration(b.window_s * 1000);
      if (budgetExhausted(g)) {
        card('budget', head, 'used up: the next slot frees '
          + (b.free_at ? untilText(b.free_at) : 'later') + ' (' + span
          + '; an operator\u2019s command is not limited)', 'alarm');
      } else {
        card('budget', head, span + '; a slot is free now');
      }
    }

    function renderHold(s) {
      var g = governing(s);
      var whose = g.fleet ? 'fleet ' : '';
      if (!g.held || !g.hold) {
        card('hold', whose + 'not held', 'automatic ' + whose + 'transitions are on');
        return;
      }
      var h = g.hold;
      card('hold', whose + 'held by ' + h.by, (h.reason ? h.reason + ' \u00b7 ' : '') + 'since '
        + whenText(h.since) + ' \u00b7 ' + (h.until ? 'ends ' + untilText(h.until)
          : 'until released'), 'attention');
    }

    // The maintenance windows not over (issue 28): the next one, and how many more.
    function renderMaintenance(s) {
      var list = s.maintenance || [];
      if (!list.length) {
        card('maintenance', 'none planned', 'POST /maintenance or the maintenance file');
        return;
      }
      var w = list.slice().sort(function (a, b) {
        return parseTime(a.start) - parseTime(b.start);
      })[0];
      var state = { ahead: 'from ' + whenText(w.start), lead: 'leaving ' + w.region + ' now',
        under_way: 'under way' }[w.state] || w.state;
      card('maintenance', w.region + ' ' + state, w.reason + ' \u00b7 ' + clockTime(parseTime(
        w.start)) + '\u2013' + clockTime(parseTime(w.end)) + ' \u00b7 id ' + w.id
        + (list.length > 1 ? ' \u00b7 ' + (list.length - 1) + ' more' : ''),
        w.state === 'ahead' ? undefined : 'attention');
    }

    // A region's maintenance windows as a shaded band on its plot (the lead lighter).
    function drawMaintenance(u, c, region) {
      var ctx = u.ctx;
      var box = u.bbox;
      ((status && status.maintenance) || []).forEach(function (w) {
        if (w.region !== region) {
          return;
        }
        [[w.move_from, w.start, 0.08], [w.start, w.end, 0.18]].forEach(function (part) {
          var x0 = Math.max(box.left, u.valToPos(parseTime(part[0]) / 1000, 'x', true));
          var x1 = Math.min(box.left + box.width, u.valToPos(parseTime(part[1]) / 1000, 'x',
            true));
          if (x1 > x0) {
            ctx.save();
            ctx.fillStyle = c.maintenance;
            ctx.globalAlpha = part[2];
            ctx.fillRect(x0, box.top, x1 - x0, box.height);
            ctx.restore();
          }
        });
      });
    }

    function renderMoveButtons(s) {
      var box = $('move-buttons');
      var want = s.order.filter(function (r) {
        return r !== s.active_region;
      }).join(',');
      if (box.dataset.regions === want) {
        return;
      }
      box.dataset.regions = want;
      while (box.firstChild) {
        box.removeChild(box.firstChild);
      }
      want.split(',').filter(Boolean).forEach(function (name) {
        var b = el('button', 'btn', 'Move to ' + name);
        b.type = 'button';
        b.dataset.region = name;
        b.addEventListener('click', function () {
          move(name);
        });
        box.appendChild(b);
      });
    }

    var manualOff = false;

    // Manual control off (no htpasswd file): the server refuses every command with a 403,
    // so none is offered: the command buttons and fields are disabled, the reason above them.
    function renderManualControl(s) {
      var off = s.manual_control === false;
      $('commands-off').hidden = !off;
      if (off) {
        setText('commands-off', 'Manual control is off: this server runs without an htpasswd'
          + ' file (--htpasswd), so it takes no command. Give it one (a reload reads it) to'
          + ' move, hold or release the host from here.');
      }
      if (!off && !manualOff) {
        return;
      }
      var failback = $('btn-failback');
      root.querySelectorAll('.commands .btn, .commands input, .commands select')
        .forEach(function (e) {
          if (off) {
            e.disabled = true;
            e.setAttribute('data-unavailable', '');
            e.title = 'manual control is off: no htpasswd file';
          } else if (e !== failback) {
            // Turned on by a reload: offered again (the fail-back button has its own rule).
            e.disabled = busy;
            e.removeAttribute('data-unavailable');
            e.title = '';
          }
        });
      manualOff = off;
    }

    function renderRegions(s) {
      replaceRows('regions', s.regions.map(function (r) {
        var tr = el('tr', r.active ? 'active-row' : '');
        cell(tr, withSub(r.name, [r.active ? 'active' : '',
          r.name === s.preferred_region ? 'preferred' : ''].filter(Boolean).join(', ')));
        cell(tr, r.host, 'mono col-host');
        var d = r.direct;
        var health = pill(d.health, d.health === 'up' ? 'ok' : d.health === 'down' ? 'fail'
          : 'unknown');
        cell(tr, withSub(health, d.health === 'up' && d.up_since
          ? joined('up since ', whenNode(d.up_since)) : d.reason));
        cell(tr, d.at ? withSub(d.latency_ms + ' ms', whenNode(d.at)) : 'never');
        var c = r.chain;
        if (!c) {
          cell(tr, r.active ? 'no probe yet' : 'not used since start-up');
        } else {
          cell(tr, withSub(pill(c.healthy ? 'ok' : 'fail', c.healthy ? 'ok' : 'fail'),
            joined(c.latency_ms + ' ms' + (c.reason ? ', ' + c.reason : '') + ', ',
              whenNode(c.at))));
        }
        return tr;
      }));
    }

    var tablesKey = '';

    function renderTables(s) {
      var key = JSON.stringify([s.regions, s.components, s.transitions, s.preferred_region]);
      if (key === tablesKey) {
        return;
      }
      tablesKey = key;
      renderRegions(s);
      renderComponents(s);
      renderTransitions(s);
    }

    // The heading says what /health says (the host's own parts); the components /health
    // does not count (regions not in use, Datadog) are listed apart under their own row.
    function renderComponents(s) {
      var all = s.components || [];
      var counted = all.filter(function (c) {
        return c.aggregated !== false;
      });
      var apart = all.filter(function (c) {
        return c.aggregated === false;
      });
      var ok = s.healthy !== undefined ? !!s.healthy : counted.every(function (c) {
        return c.status === 'OK';
      });
      var word = $('health-word');
      word.textContent = ok ? 'OK' : 'FAIL';
      word.className = 'pill ' + (ok ? 'ok' : 'fail');
      word.title = 'as /health answers: the components it counts';
      var rows = counted.map(function (c) {
        return componentRow(c, '');
      });
      if (apart.length > 0) {
        var head = el('tr', 'apart');
        var th = el('th', null, 'Not counted in /health (shown for information)');
        th.colSpan = 4;
        head.appendChild(th);
        rows.push(head);
        apart.forEach(function (c) {
          rows.push(componentRow(c, 'apart-row'));
        });
      }
      replaceRows('components', rows);
    }

    function componentRow(c, cls) {
      var tr = el('tr', cls);
      tr.dataset.aggregated = c.aggregated !== false;
      cell(tr, c.name, 'mono');
      cell(tr, pill(c.status, c.status === 'OK' ? 'ok' : c.aggregated === false ? 'unknown'
        : 'fail'));
      cell(tr, c.reason);
      cell(tr, whenNode(c.since), 'when');
      return tr;
    }

    function transitionLabel(t) {
      if (t.kind === 'hold' || t.kind === 'release') {
        return t.kind + (t.by ? ' (' + t.by + ')' : '');
      }
      if (t.kind === 'repair') {
        return 'repair ' + t.from;
      }
      return t.kind + ' ' + t.from + ' \u2192 ' + t.to + (t.by ? ' (' + t.by + ')' : '');
    }

    function renderTransitions(s) {
      var list = s.transitions || [];
      $('transitions-empty').hidden = list.length > 0;
      replaceRows('transitions', list.map(function (t) {
        var tr = el('tr');
        tr.dataset.kind = t.kind;
        var at = parseTime(t.at);
        var age = el('span', 'age', ago(at));
        age.dataset.at = at;
        cell(tr, withSub(clockTime(at), age), 'when');
        cell(tr, pill(t.kind, t.kind === 'failover' ? 'fail' : t.kind === 'failback' ? 'ok'
          : 'warn'));
        cell(tr, t.from ? t.from + (t.to && t.to !== t.from ? ' \u2192 ' + t.to : '') : null);
        cell(tr, t.reason);
        cell(tr, t.by);
        cell(tr, t.outcome.replace('_', ' ') + (t.took_ms !== undefined && t.outcome !== 'done'
          ? ' in ' + (t.took_ms / 1000).toFixed(1) + ' s' : ''));
        return tr;
      }));
    }

    var fleetKey = '';

    function renderFleet(s) {
      var f = s.fleet;
      $('fleet').hidden = !f;
      // The read's age changes at every poll; the table is drawn again only when the fleet did.
      var key = JSON.stringify(f || null, function (k, v) {
        return k === 'views_age_ms' ? undefined : v;
      });
      if (!f || key === fleetKey) {
        return;
      }
      fleetKey = key;
      setText('fleet-cluster', f.cluster);
      var hosts = f.hosts || [];
      var word = fleetWord(f, hosts);
      $('fleet-word').textContent = word[0];
      $('fleet-word').className = 'pill ' + word[1];
      var d = f.decision;
      setText('fleet-decision', d ? 'Epoch ' + d.epoch + ': ' + d.region + ' (' + d.kind + ', '
        + d.reason + '), decided by ' + d.decider + ' at ' + clockTime(parseTime(d.at))
        : 'No fleet decision yet.');
      setText('fleet-detail', fleetDetail(f));
      // Each host's direct views in the failover order, as the regions table lists them.
      var order = s.regions.map(function (r) {
        return r.name;
      });
      replaceRows('fleet-hosts', hosts.map(function (h) {
        return fleetRow(f, h, order);
      }));
    }

    // The fleet panel's one word: what an operator must know first, and its colour.
    function fleetWord(f, hosts) {
      if (f.falls_back) {
        return ['FALLEN BACK', 'fail'];
      }
      if (!f.connected) {
        return ['ZOOKEEPER LOST', 'fail'];
      }
      if (!f.joined) {
        return ['JOINING', 'unknown'];
      }
      if (!f.decision) {
        return ['NO DECISION YET', 'unknown'];
      }
      if (hosts.length === 0) {
        return ['NO HOSTS READ', 'unknown'];
      }
      var applied = hosts.filter(function (h) {
        return h.applied;
      }).length;
      return [applied + '/' + hosts.length + ' applied', applied === hosts.length ? 'ok' : 'warn'];
    }

    function fleetDetail(f) {
      var asOf = f.views_read_at ? ' Hosts as last read at ' + clockTime(parseTime(f.views_read_at))
        + '.' : '';
      if (f.falls_back) {
        return 'ZooKeeper ' + f.zookeeper + ' unreachable for longer than'
          + ' --coordination-fallback: this host (' + f.host_id + ') has fallen back and decides'
          + ' its failovers alone until ZooKeeper returns.' + asOf;
      }
      if (!f.connected) {
        return 'ZooKeeper ' + f.zookeeper + ' unreachable: this host (' + f.host_id
          + ') keeps its region and stack and decides nothing.' + asOf;
      }
      if (!f.joined) {
        return 'Connected to ZooKeeper ' + f.zookeeper + '; joining the fleet.';
      }
      var q = f.quorum;
      var decider = f.decider === null || f.decider === undefined ? 'unknown'
        : f.decider === '' ? 'none elected' : f.decider;
      var quorum = q.possible
        ? 'quorum ' + q.rule + ': ' + q.required + ' of ' + q.live + ' live hosts, '
          + q.seeing_down + ' see' + (q.seeing_down === 1 ? 's ' : ' ') + (q.region || 'the region')
          + ' down for ' + duration(q.threshold_s * 1000)
        : 'quorum ' + q.rule + ' needs ' + q.required + ' hosts but ' + q.live
          + ' are live: the fleet cannot fail over on its own';
      return 'Decider: ' + decider + (f.this_host_decides ? ' (this host)' : '')
        + ' \u00b7 this host (' + f.host_id + ') applied epoch ' + f.applied_epoch
        + ' \u00b7 ' + quorum + (f.hold ? ' \u00b7 fleet held by ' + f.hold.by : '')
        + ' \u00b7 ZooKeeper ' + f.zookeeper;
    }

    function fleetRow(f, h, order) {
      var tr = el('tr', h.host_id === f.host_id ? 'active-row' : '');
      tr.dataset.host = h.host_id;
      cell(tr, withSub(h.host_id, [h.host_id === f.host_id ? 'this host' : '',
        h.host_id === f.decider ? 'decider' : ''].filter(Boolean).join(', ')), 'mono');
      cell(tr, h.region);
      var down = h.down_for_ms !== null && h.down_for_ms !== undefined;
      cell(tr, withSub(pill(h.state, down ? 'fail' : h.state === 'watching' ? 'ok' : 'warn'),
        down ? 'chain down for ' + duration(h.down_for_ms) + (h.counts ? ', counts' : '') : ''));
      var direct = el('span', 'direct-list');
      order.filter(function (r) {
        return h.direct && h.direct[r];
      }).forEach(function (r) {
        var health = h.direct[r];
        direct.appendChild(pill(r + ' ' + health, health === 'up' ? 'ok'
          : health === 'down' ? 'fail' : 'unknown'));
      });
      cell(tr, direct);
      cell(tr, pill('epoch ' + h.applied_epoch + (h.applied || !f.decision ? '' : ', waiting'),
        h.applied ? 'ok' : 'warn'));
      return tr;
    }

    var tablesOf = null;
    var bandsOf = null;

    function render() {
      var s = status;
      if (!s) {
        return;
      }
      renderBanner(s);
      renderFailback(s);
      renderBudget(s);
      renderHold(s);
      renderMaintenance(s);
      // The bands come from /status, the plots from /history: draw them again when the
      // windows change, not only at the next history.
      var windows = JSON.stringify(s.maintenance || []);
      if (windows !== bandsOf) {
        bandsOf = windows;
        plots.forEach(function (u) {
          u.redraw(false);
        });
      }
      if (tablesOf !== s) {
        tablesOf = s;
        renderMoveButtons(s);
        renderTables(s);
        renderFleet(s);
        // The plots' titles say each region's health: keep them with the status, not with
        // the history, which is fetched less often.
        plots.forEach(function (u) {
          u.rfTitle.lastChild.textContent = plotSubtitle({ name: u.rfRegion });
        });
      }
      renderManualControl(s);
      refreshAges();
      if (!primary) {
        return;
      }
      setPageText('version', 'region-failover ' + s.version);
      if (!single) {
        setPageText('host', (s.hostname ? s.hostname + ' \u00b7 ' : '') + opts.count
          + ' failover sets');
        document.title = (s.hostname ? s.hostname + ': ' : '') + opts.count
          + ' failover sets \u2013 region-failover';
        return;
      }
      setPageText('host', (s.hostname ? s.hostname + ' \u00b7 ' : '') + 'cloud host '
        + s.active_host);
      document.title = (s.hostname ? s.hostname + ': ' : '') + s.active_region + ' ' + s.state + (governing(s).held ? ' (held)' : '')
        + ' \u2013 region-failover';
    }

    // Once a second: the clocks (outage, countdowns, ages) move without asking the server.
    function tick() {
      var age = Date.now() - lastAnswerAt;
      var stale = lastAnswerAt === 0 ? lastError !== '' : age > STALE_AFTER_MS;
      root.classList.toggle('stale', stale);
      if (!primary) {
        render();
        return;
      }
      document.body.classList.toggle('stale', stale);
      if (stale) {
        setPageText('freshness', lastAnswerAt === 0 ? 'no answer from the server: ' + lastError
          : 'NO DATA for ' + duration(age) + ': ' + (lastError || 'no answer')
            + ' \u2013 what you see is old');
      } else if (lastAnswerAt !== 0) {
        setPageText('freshness', 'updated ' + Math.round(age / 1000) + ' s ago');
      }
      render();
    }

    // --- polling --------------------------------------------------------------------------

    function getJson(path) {
      var controller = new AbortController();
      var timer = setTimeout(function () {
        controller.abort();
      }, REQUEST_TIMEOUT_MS);
      var sent = Date.now();
      return fetch(endpoint(path), {
        cache: 'no-store',
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
        signal: controller.signal
      }).then(function (r) {
        if (!r.ok) {
          throw new Error(path + ' answered ' + r.status);
        }
        return r.json().then(function (doc) {
          return { doc: doc, sent: sent, received: Date.now() };
        });
      }).finally(function () {
        clearTimeout(timer);
      });
    }

    function accept(a) {
      if (single && !a.doc.active_region && a.doc.sets && a.doc.sets.length > 1) {
        // A reload of the settings added a set: the page needs a section per set now.
        window.location.reload();
        return;
      }
      status = a.doc;
      var server = parseTime(status.generated_at);
      if (!isNaN(server)) {
        skewMs = server - (a.sent + a.received) / 2;
      }
      lastAnswerAt = a.received;
      lastError = '';
      statusAnswers++;
      note({ what: 'status', n: statusAnswers, state: status.state });
      if (historyDue(status)) {
        pollHistory();
      }
      tick();
    }

    // Whether /history is wanted now, not at its next turn: a transition or a new state
    // (the plot then shows what the banner says), and every /status while the host is down
    // or switching (the failures reach the plot as they reach the banner).
    function historyDue(s) {
      var t = s.transitions && s.transitions[0];
      var key = s.active_region + '|' + s.state + '|' + (t ? t.at + t.kind + t.outcome : '');
      var due = historyKey !== null && (key !== historyKey || URGENT_STATES[s.state] === true);
      historyKey = key;
      return due;
    }

    function note(entry) {
      var list = exposed.timeline;
      list.push(entry);
      if (list.length > 400) {
        list.splice(0, list.length - 400);
      }
    }

    // How many failed probes the plots hold now.
    function failuresPlotted() {
      return plots.reduce(function (n, u) {
        return n + [u.rfFailChain, u.rfFailDirect].reduce(function (m, si) {
          return m + u.data[si].filter(function (v) {
            return v !== null && v !== undefined;
          }).length;
        }, 0);
      }, 0);
    }

    function pollStatus() {
      getJson('status').then(accept).catch(function (e) {
        lastError = e.name === 'AbortError' ? 'no answer within '
          + REQUEST_TIMEOUT_MS / 1000 + ' s' : e.message;
        tick();
      }).finally(function () {
        setTimeout(pollStatus, STATUS_EVERY_MS);
      });
    }

    var historyTimer = null;
    var historyAsked = false;

    function pollHistory() {
      clearTimeout(historyTimer);
      if (historyAsked) {
        return; // the answer on its way is as new; it sets the next turn
      }
      historyAsked = true;
      getJson('history').then(function (a) {
        history = a.doc;
        drawHistory();
        note({ what: 'history', n: statusAnswers, failed: failuresPlotted() });
      }).catch(function () {
        // /status reports the outage of the server; the plots keep their last picture.
      }).finally(function () {
        historyAsked = false;
        clearTimeout(historyTimer);
        historyTimer = setTimeout(pollHistory, HISTORY_EVERY_MS);
      });
    }

    // --- plots --------------------------------------------------------------------------

    function cssVar(name) {
      return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    }

    function colors() {
      return {
        chain: cssVar('--plot-chain'),
        direct: cssVar('--plot-direct'),
        fail: cssVar('--plot-fail'),
        axis: cssVar('--plot-axis'),
        grid: cssVar('--plot-grid'),
        bg: cssVar('--plot-bg'),
        failover: cssVar('--marker-failover'),
        failback: cssVar('--marker-failback'),
        repair: cssVar('--marker-repair'),
        manual: cssVar('--marker-manual'),
        hold: cssVar('--marker-hold'),
        traffic: cssVar('--plot-traffic'),
        trafficFill: cssVar('--plot-traffic-fill'),
        maintenance: cssVar('--plot-maintenance')
      };
    }

    // A round top for the latency axis above the highest healthy probe, so that the failure
    // rows (drawn above it) never squash healthy latencies into the floor: a 5 s timeout
    // next to 40 ms answers would otherwise leave a flat line.
    function niceTop(max) {
      var v = Math.max(10, max * 1.35);
      var p = Math.pow(10, Math.floor(Math.log10(v)));
      var steps = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];
      for (var i = 0; i < steps.length; i++) {
        if (steps[i] * p >= v) {
          return steps[i] * p;
        }
      }
      return 10 * p;
    }

    // One region's probes as uPlot's columns on one time axis: healthy latencies as lines
    // (a failure is a null, which breaks the line), failures as points in two rows at the
    // top. Times only one kind has are left undefined, which uPlot spans instead of breaking.
    // Direct comes before chain: uPlot draws in order, and the chain (what the applications
    // use) must not hide under the direct line where both are alike.
    function columns(region) {
      var byTime = new Map();
      function put(series, kind) {
        for (var i = 0; i < series.t.length; i++) {
          var x = series.t[i] / 1000;
          var row = byTime.get(x);
          if (!row) {
            row = {};
            byTime.set(x, row);
          }
          row[kind] = { ms: series.latency_ms[i], ok: series.ok[i] };
        }
      }
      put(region.chain, 'chain');
      put(region.direct, 'direct');
      var xs = Array.from(byTime.keys()).sort(function (a, b) {
        return a - b;
      });
      var maxOk = 0;
      byTime.forEach(function (row) {
        ['chain', 'direct'].forEach(function (k) {
          if (row[k] && row[k].ok) {
            maxOk = Math.max(maxOk, row[k].ms);
          }
        });
      });
      var top = niceTop(maxOk);
      var chain = [];
      var direct = [];
      var chainFail = [];
      var directFail = [];
      var failedMs = { 3: [], 4: [] };
      xs.forEach(function (x, i) {
        var row = byTime.get(x);
        chain[i] = row.chain ? (row.chain.ok ? row.chain.ms : null) : undefined;
        direct[i] = row.direct ? (row.direct.ok ? row.direct.ms : null) : undefined;
        chainFail[i] = row.chain && !row.chain.ok ? top * 0.94 : undefined;
        directFail[i] = row.direct && !row.direct.ok ? top * 0.84 : undefined;
        failedMs[3][i] = row.chain && !row.chain.ok ? row.chain.ms : null;
        failedMs[4][i] = row.direct && !row.direct.ok ? row.direct.ms : null;
      });
      breakAtFailures(chain);
      breakAtFailures(direct);
      return { data: [xs, direct, chain, chainFail, directFail], top: top, failedMs: failedMs };
    }

    // A line stops at a failure and resumes at the next healthy probe of its own kind: the
    // other kind's times around a failure (undefined here) would otherwise be spanned, and
    // the line would show through the outage in dashes.
    function breakAtFailures(ys) {
      var next = [];
      var seen;
      for (var i = ys.length - 1; i >= 0; i--) {
        if (ys[i] !== undefined) {
          seen = ys[i];
        }
        next[i] = seen;
      }
      var prev;
      for (i = 0; i < ys.length; i++) {
        if (ys[i] !== undefined) {
          prev = ys[i];
        } else if (prev === null || next[i] === null) {
          ys[i] = null;
        }
      }
    }

    // Up to the time the server wrote /history (its own clock, so the right edge is right
    // even before the first /status has told how far the browser's clock is off), from the
    // first probe: a fresh process's minutes fill the plot rather than a sliver at the right
    // of an hour; at least a minute, at most the hour the server keeps.
    function xRange() {
      var written = history ? parseTime(history.generated_at) : NaN;
      var now = (isNaN(written) ? serverNow() : written) / 1000;
      var first = now;
      (history ? history.regions : []).forEach(function (r) {
        [r.chain, r.direct, r.traffic].forEach(function (s) {
          if (s && s.t.length) {
            first = Math.min(first, s.t[0] / 1000);
          }
        });
      });
      var from = Math.max(now - HOUR_S, Math.min(first, now - MIN_SPAN_S));
      return [from, now];
    }

    function markers() {
      return (history && history.transitions ? history.transitions : []).map(function (t) {
        return { at: parseTime(t.at) / 1000, kind: t.kind, label: transitionLabel(t) };
      });
    }

    function markerColor(c, kind) {
      return c[kind] || (kind === 'release' ? c.hold : c.manual);
    }

    // Transitions as vertical lines across every plot, labelled along the bottom of the first
    // (labels that would overlap move up a row).
    function drawMarkers(u, c, labelled) {
      var ctx = u.ctx;
      var dpr = window.devicePixelRatio || 1;
      var box = u.bbox;
      var rowsRight = [];
      var drawn = [];
      ctx.save();
      ctx.font = (12 * dpr) + 'px system-ui, sans-serif';
      ctx.textAlign = 'left';
      ctx.textBaseline = 'bottom';
      markers().sort(function (a, b) {
        return a.at - b.at;
      }).forEach(function (m) {
        var x = Math.round(u.valToPos(m.at, 'x', true));
        if (x < box.left || x > box.left + box.width) {
          return;
        }
        ctx.strokeStyle = markerColor(c, m.kind);
        ctx.lineWidth = 2 * dpr;
        ctx.setLineDash(m.kind === 'hold' || m.kind === 'release' ? [4 * dpr, 3 * dpr] : []);
        ctx.beginPath();
        ctx.moveTo(x, box.top);
        ctx.lineTo(x, box.top + box.height);
        ctx.stroke();
        drawn.push(m);
        if (!labelled) {
          return;
        }
        var w = ctx.measureText(m.label).width + 8 * dpr;
        var lx = x + 3 * dpr;
        if (lx + w > box.left + box.width) {
          lx = x - 3 * dpr - w;
        }
        var row = 0;
        while (rowsRight[row] !== undefined && rowsRight[row] > lx) {
          row++;
        }
        rowsRight[row] = lx + w;
        var y = box.top + box.height - 2 * dpr - row * 17 * dpr;
        ctx.fillStyle = c.bg;
        ctx.globalAlpha = 0.85;
        ctx.fillRect(lx, y - 15 * dpr, w, 15 * dpr);
        ctx.globalAlpha = 1;
        ctx.fillStyle = markerColor(c, m.kind);
        ctx.fillText(m.label, lx + 4 * dpr, y - 1 * dpr);
      });
      ctx.restore();
      return drawn;
    }

    // 24-hour local times ("07:30", not uPlot's "7:30am" with a US date under it), with the
    // seconds when the ticks are less than a minute apart ("07:30:15"): never two alike.
    // Kept on the plot for a reader (the browser test).
    function timeLabels(u, vals) {
      var step = vals.length > 1 ? vals[1] - vals[0] : 60;
      var labels = vals.map(function (v) {
        var d = new Date(v * 1000);
        var hm = two(d.getHours()) + ':' + two(d.getMinutes());
        return step < 60 ? hm + ':' + two(d.getSeconds()) : hm;
      });
      u.rfTimeLabels = labels;
      return labels;
    }

    function makePlot(region, index, c, width) {
      var box = el('div', 'plot');
      var title = el('h3', null, region.name);
      title.appendChild(el('span', 'plot-sub'));
      box.appendChild(title);
      var holder = el('div');
      box.appendChild(holder);
      $('plots').appendChild(box);
      var state = { top: 100, failedMs: { 3: [], 4: [] } };
      function failValue(u, v, si, i) {
        if (i === null || i === undefined || v === null || v === undefined) {
          return '\u2013';
        }
        var ms = state.failedMs[si][i];
        return 'failed after ' + ms + ' ms';
      }
      function msValue(u, v) {
        return v === null || v === undefined ? '\u2013' : Math.round(v) + ' ms';
      }
      var opts = {
        width: width,
        height: PLOT_HEIGHT,
        cursor: { sync: { key: 'rf-latency' + suffix }, points: { size: 8 } },
        legend: { live: true },
        scales: {
          x: { time: true, range: function () { return xRange(); } },
          y: { range: function () { return [0, state.top]; } }
        },
        axes: [
          {
            stroke: c.axis,
            size: 30,
            space: 80,
            incrs: TIME_STEPS_S,
            grid: { stroke: c.grid },
            ticks: { stroke: c.grid },
            values: timeLabels
          },
          {
            stroke: c.axis,
            size: 64,
            grid: { stroke: c.grid },
            ticks: { stroke: c.grid },
            values: function (u, vals) {
              return vals.map(function (v) {
                return v + ' ms';
              });
            }
          }
        ],
        series: [
          { label: 'time', value: function (u, v) {
            return v === null || v === undefined ? '\u2013' : clockTime(v * 1000);
          } },
          { label: 'direct', stroke: c.direct, width: 2, dash: [6, 4], spanGaps: false,
            points: { show: true, size: 5, fill: c.direct, stroke: c.direct },
            value: msValue },
          { label: 'chain', stroke: c.chain, width: 2, spanGaps: false,
            points: { size: 4, fill: c.chain }, value: msValue },
          { label: 'chain failed', stroke: c.fail, width: 0, paths: function () { return null; },
            points: { show: true, size: 10, fill: c.fail, stroke: c.fail, width: 1 },
            value: failValue },
          { label: 'direct failed', stroke: c.fail, width: 0, paths: function () { return null; },
            points: { show: true, size: 10, fill: c.bg, stroke: c.fail, width: 2.5 },
            value: failValue }
        ],
        hooks: {
          draw: [function (u) {
            drawMaintenance(u, c, region.name);
            var drawn = drawMarkers(u, c, index === 0);
            if (index === 0) {
              exposed.markers = drawn;
              if (single) {
                window.rfMarkers = drawn;
              }
            }
          }]
        }
      };
      var cols = columns(region);
      state.top = cols.top;
      state.failedMs = cols.failedMs;
      var u = new uPlot(opts, cols.data, holder);
      u.rfState = state;
      u.rfRegion = region.name;
      u.rfTitle = title;
      // The failure rows' series (see columns()).
      u.rfFailChain = 3;
      u.rfFailDirect = 4;
      if (region.traffic) {
        u.rfStrip = makeStrip(region, c, width, box, u);
      }
      return u;
    }

    // --- the applications' calls failing (issue 27) ---------------------------------------

    function percent(share) {
      var p = share * 100;
      return (p > 0 && p < 1 ? p.toFixed(1) : Math.round(p)) + ' %';
    }

    function callsText(share, volume, unreachable) {
      return percent(share) + ' of ' + volume + ' call' + (volume === 1 ? '' : 's')
        + (unreachable > 0 ? ' (' + unreachable + ' unreachable)' : '');
    }

    // The share of each interval's calls that found the region unreachable, in percent, on
    // the latency plot's time axis. An interval with no report is a gap, not a step drawn
    // across it: a point is added, empty, one interval (the smallest spacing) after a point
    // whose next comes later than two and a half intervals.
    function trafficColumns(region) {
      var tr = region.traffic;
      var step = Infinity;
      for (var i = 1; i < tr.t.length; i++) {
        step = Math.min(step, tr.t[i] - tr.t[i - 1] || Infinity);
      }
      var xs = [];
      var pct = [];
      var volume = [];
      var unreachable = [];
      tr.t.forEach(function (t, i) {
        if (i > 0 && t - tr.t[i - 1] > 2.5 * step) {
          xs.push((tr.t[i - 1] + step) / 1000);
          pct.push(null);
          volume.push(null);
          unreachable.push(null);
        }
        xs.push(t / 1000);
        pct.push(tr.share[i] * 100);
        volume.push(tr.volume[i]);
        unreachable.push(tr.unreachable[i]);
      });
      return { data: [xs, pct], volume: volume, unreachable: unreachable };
    }

    // What the strip says without pointing at it: the last interval's share and its volume.
    function stripCaption(region) {
      var tr = region.traffic;
      var n = tr.t.length;
      if (n === 0) {
        return 'no report through ' + region.name + ' in the last hour';
      }
      return 'last interval: ' + callsText(tr.share[n - 1], tr.volume[n - 1],
        tr.unreachable[n - 1]) + ', ' + clockTime(tr.t[n - 1]);
    }

    function fillStrip(strip, region) {
      var cols = trafficColumns(region);
      strip.rfState.volume = cols.volume;
      strip.rfState.unreachable = cols.unreachable;
      strip.setData(cols.data);
      var text = stripCaption(region);
      put(strip.rfCaption, '\u2013 ' + text);
      strip.rfBox.title = 'calls failing through ' + region.name + ', ' + text;
    }

    // The room right of the latency plot's drawing area, in CSS pixels: uPlot leaves it for
    // the last time label, which the strip does not draw; the strip leaves the same, so that
    // a time is at the same place in both.
    function rightGap(latency) {
      var dpr = window.devicePixelRatio || 1;
      var gap = latency.width - (latency.bbox.left + latency.bbox.width) / dpr;
      return gap >= 0 ? Math.round(gap) : 0;
    }

    // Under the latency plot, on its time axis: the share of each interval's calls that
    // failed, 0 to 100 %. The legends of both go under the strip, the latency's first.
    function makeStrip(region, c, width, box, latency) {
      var wrap = el('div', 'strip');
      var label = el('p', 'strip-label', 'calls failing ');
      var caption = el('span', 'strip-last');
      label.appendChild(caption);
      wrap.appendChild(label);
      var holder = el('div');
      wrap.appendChild(holder);
      box.appendChild(wrap);
      var state = { volume: [], unreachable: [] };
      var opts = {
        width: width,
        height: STRIP_HEIGHT,
        padding: [8, function () { return rightGap(latency); }, 4, 0],
        cursor: { sync: { key: 'rf-latency' + suffix }, points: { size: 7 } },
        legend: { live: true },
        scales: {
          x: { time: true, range: function () { return xRange(); } },
          y: { range: [0, 100] }
        },
        axes: [
          // The latency plot's time axis is just above: the same width, so the same times.
          { show: false },
          {
            stroke: c.axis,
            size: 64,
            space: 20,
            splits: function () { return [0, 50, 100]; },
            grid: { stroke: c.grid },
            ticks: { stroke: c.grid },
            values: function (u, vals) {
              return vals.map(function (v) {
                return v + ' %';
              });
            }
          }
        ],
        series: [
          { label: 'time', value: function (u, v) {
            return v === null || v === undefined ? '\u2013' : clockTime(v * 1000);
          } },
          { label: 'calls failing', stroke: c.traffic, fill: c.trafficFill, width: 2,
            spanGaps: false, paths: uPlot.paths.stepped({ align: -1 }),
            points: { size: 4, fill: c.traffic },
            value: function (u, v, si, i) {
              if (i === null || i === undefined || v === null || v === undefined) {
                return '\u2013';
              }
              return callsText(v / 100, state.volume[i], state.unreachable[i]);
            } }
        ],
        hooks: {
          draw: [function (u) {
            drawMarkers(u, c, false);
          }]
        }
      };
      var cols = trafficColumns(region);
      state.volume = cols.volume;
      state.unreachable = cols.unreachable;
      var strip = new uPlot(opts, cols.data, holder);
      strip.rfState = state;
      strip.rfCaption = caption;
      strip.rfBox = wrap;
      fillStrip(strip, region);
      [latency.root, strip.root].forEach(function (r) {
        var legend = r.querySelector('.u-legend');
        if (legend) {
          box.appendChild(legend);
        }
      });
      return strip;
    }

    function plotSubtitle(region) {
      var s = status && status.regions ? status.regions.filter(function (r) {
        return r.name === region.name;
      })[0] : null;
      if (!s) {
        return '';
      }
      return ' \u2013 ' + (s.active ? 'active, ' : '') + 'direct ' + s.direct.health
        + (s.direct.health === 'up' ? ' ' + s.direct.latency_ms + ' ms' : '');
    }

    function drawHistory() {
      var h = history;
      var names = h.regions.map(function (r) {
        return r.name;
      });
      var count = h.regions.reduce(function (n, r) {
        return n + r.chain.t.length + r.direct.t.length;
      }, 0);
      $('plots-empty').hidden = count > 0;
      var width = Math.max(280, $('plots').clientWidth);
      var key = h.regions.map(function (r) {
        return r.name + (r.traffic ? '+traffic' : '');
      }).join(',');
      if (key !== plotsKey) {
        plots.forEach(function (u) {
          if (u.rfStrip) {
            u.rfStrip.destroy();
          }
          u.destroy();
        });
        plots.length = 0;
        $('plots').textContent = '';
        var c = colors();
        h.regions.forEach(function (r, i) {
          plots.push(makePlot(r, i, c, width));
        });
        plotsKey = key;
      } else {
        h.regions.forEach(function (r, i) {
          var cols = columns(r);
          plots[i].rfState.top = cols.top;
          plots[i].rfState.failedMs = cols.failedMs;
          plots[i].setData(cols.data);
          if (plots[i].rfStrip) {
            fillStrip(plots[i].rfStrip, r);
          }
        });
      }
      $('key-traffic').hidden = !h.regions.some(function (r) {
        return r.traffic;
      });
      h.regions.forEach(function (r, i) {
        plots[i].rfTitle.lastChild.textContent = plotSubtitle(r);
      });
    }

    function resizePlots() {
      var width = Math.max(280, $('plots').clientWidth);
      plots.forEach(function (u) {
        if (u.width !== width) {
          u.setSize({ width: width, height: PLOT_HEIGHT });
        }
        if (u.rfStrip && u.rfStrip.width !== width) {
          u.rfStrip.setSize({ width: width, height: STRIP_HEIGHT });
        }
      });
    }

    // --- commands -------------------------------------------------------------------------

    var HINTS = {
      401: 'not authorised: the login was cancelled or wrong',
      403: 'refused by the server',
      409: 'refused',
      429: 'too many failed logins from this address: wait a minute'
    };

    function setBusy(on) {
      busy = on;
      root.querySelectorAll('.commands .btn').forEach(function (b) {
        b.disabled = on;
      });
      render();
    }

    var answers = 0;

    // Each answer is numbered (data-answer) so that a reader, a test, can tell a new answer
    // from the same words again.
    function showAnswer(kind, text, final) {
      var box = $('answer-box');
      var a = $('answer');
      box.hidden = false;
      box.className = 'answer ' + kind;
      a.textContent = text;
      if (final) {
        a.dataset.answer = ++answers;
      }
    }

    // A plain POST with credentials: on the server's 401 the browser asks for the login
    // (basic auth) and repeats the request itself; the answer's text goes to the operator.
    function post(label, path, body) {
      if (busy || manualOff) {
        return;
      }
      setBusy(true);
      // One sentence for a person, not the JSON a script gets.
      var init = { method: 'POST', credentials: 'include', cache: 'no-store',
        headers: { 'Accept': 'text/plain' } };
      if (body) {
        init.headers['Content-Type'] = 'application/x-www-form-urlencoded';
        init.body = body;
      }
      showAnswer('ok', label + ': sending\u2026');
      fetch(endpoint(path), init).then(function (r) {
        return r.text().then(function (text) {
          var said = text.trim().slice(0, 500);
          var head = label + ': ' + r.status + (r.statusText ? ' ' + r.statusText : '');
          if (r.ok) {
            showAnswer('ok', head + (said ? ' \u2013 ' + said : ''), true);
          } else {
            showAnswer(r.status === 409 ? 'refused' : 'error', head + ' \u2013 '
              + (said || HINTS[r.status] || 'failed')
              + (said && HINTS[r.status] && r.status !== 409 ? ' (' + HINTS[r.status] + ')' : ''),
              true);
          }
        });
      }).catch(function (e) {
        showAnswer('error', label + ': the request failed (' + e.message + '); is the server up?',
          true);
      }).finally(function () {
        setBusy(false);
        pollNow();
      });
    }

    function pollNow() {
      getJson('status').then(accept).catch(function () {});
    }

    // The fleet takes this host's commands: joined, and not fallen back to deciding alone.
    function fleetOf(s) {
      return s && s.fleet && s.fleet.joined && !s.fleet.falls_back ? s.fleet : null;
    }

    function restartNote(region) {
      var f = fleetOf(status);
      if (f && !f.connected) {
        return ' ZooKeeper is unreachable from this host: the fleet cannot take the command now'
          + ' and it will be refused (nothing changes).';
      }
      if (f) {
        return ' This is a fleet decision: every host of ' + f.cluster + ' (' + f.hosts.length
          + ' live) moves and restarts its stack on ' + region + '.';
      }
      if (status && status.fleet && status.fleet.falls_back) {
        return ' This host has fallen back to deciding alone (no ZooKeeper): only this host'
          + ' moves; its stack is restarted on ' + region + '.';
      }
      return ' The stack is restarted on ' + region + '.';
    }

    function failback() {
      var target = status ? status.preferred_region : 'the preferred region';
      var force = $('force').checked;
      var from = status ? ' from ' + status.active_region : '';
      if (!window.confirm(whose + 'Fail back' + from + ' to ' + target + ' now?' + restartNote(target)
          + (force ? '\nForce: the pre-flight check is skipped.' : ''))) {
        return;
      }
      post(whose + 'Fail back to ' + target, 'failback' + (force ? '?force=true' : ''));
    }

    function move(region) {
      var force = $('force').checked;
      var from = status ? ' from ' + status.active_region : '';
      if (!window.confirm(whose + 'Move the ' + (fleetOf(status) ? 'fleet' : 'host') + from + ' to ' + region + ' now?' + restartNote(region)
          + (force ? '\nForce: the pre-flight check is skipped.' : ''))) {
        return;
      }
      post(whose + 'Move to ' + region, 'region/' + encodeURIComponent(region)
        + (force ? '?force=true' : ''));
    }

    function hold() {
      var reason = $('hold-reason').value.trim();
      var forHow = $('hold-for').value;
      var body = new URLSearchParams();
      body.set('reason', reason);
      post(whose + 'Hold', 'hold' + (forHow ? '?for=' + encodeURIComponent(forHow) : ''),
        body.toString());
    }

    function release() {
      post(whose + 'Release', 'release');
    }

    function start() {
      $('btn-failback').addEventListener('click', failback);
      $('force').addEventListener('change', render);
      $('btn-hold').addEventListener('click', hold);
      $('btn-release').addEventListener('click', release);
      $('answer-close').addEventListener('click', function () {
        $('answer-box').hidden = true;
      });
      if (window.ResizeObserver) {
        new ResizeObserver(resizePlots).observe($('plots'));
      } else {
        window.addEventListener('resize', resizePlots);
      }
      if (window.matchMedia) {
        // New colours need new plots: forget them, the next /history draws them again.
        window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', function () {
          plotsKey = '';
          if (history) {
            drawHistory();
          }
        });
      }
      pollStatus();
      pollHistory();
      setInterval(tick, 1000);
    }

    return { start: start };
  }

  // With several sets, one copy of the page's sections per set, ids suffixed with --NAME
  // and the set's name as its heading; labels and landmarks follow their renamed elements.
  function sections(names) {
    var main = document.querySelector('main');
    var template = main.cloneNode(true);
    main.textContent = '';
    return names.map(function (name) {
      var part = template.cloneNode(true);
      var section = document.createElement('section');
      section.className = 'set-part';
      section.dataset.set = name;
      while (part.firstChild) {
        section.appendChild(part.firstChild);
      }
      var suffix = '--' + name;
      section.querySelectorAll('[id]').forEach(function (e) {
        e.id = e.id + suffix;
      });
      section.querySelectorAll('label[for]').forEach(function (e) {
        e.htmlFor = e.htmlFor + suffix;
      });
      section.querySelectorAll('[aria-labelledby]').forEach(function (e) {
        e.setAttribute('aria-labelledby', e.getAttribute('aria-labelledby') + suffix);
      });
      var heading = document.createElement('h1');
      heading.className = 'set-name';
      heading.id = 'set-name' + suffix;
      heading.textContent = 'set ' + name;
      section.insertBefore(heading, section.firstChild);
      section.setAttribute('aria-labelledby', heading.id);
      main.appendChild(section);
      return { name: name, suffix: suffix, root: section };
    });
  }

  // One set: the page as it always was. Several (/status lists them under "sets", with no
  // set's fields at the top): a section per set, each polling /set/NAME/status.
  function boot(doc) {
    var names = doc && !doc.active_region && doc.sets ? doc.sets.map(function (s) {
      return s.set;
    }) : [];
    if (names.length < 2) {
      view({ name: null, suffix: '', base: '', root: document.body, single: true,
        primary: true, count: 1 }).start();
      return;
    }
    document.body.dataset.sets = names.length;
    document.body.dataset.state = 'sets';
    // /history without a set would be refused: link the first set's.
    document.querySelectorAll('footer a[href="history"]').forEach(function (a) {
      a.href = 'history?set=' + encodeURIComponent(names[0]);
    });
    sections(names).forEach(function (p, i) {
      view({ name: p.name, suffix: p.suffix, base: 'set/' + encodeURIComponent(p.name) + '/',
        root: p.root, single: false, primary: i === 0, count: names.length }).start();
    });
  }

  if (typeof uPlot === 'undefined') {
    document.body.dataset.state = 'broken';
    put(document.getElementById('state-detail'),
      'The plotting library did not load: the page is incomplete.');
  }
  // The first /status says how many sets there are; without an answer, the page starts as
  // for one set and reports the failure as always.
  var first = new AbortController();
  var firstTimer = setTimeout(function () {
    first.abort();
  }, REQUEST_TIMEOUT_MS);
  fetch(pageEndpoint('status'), { cache: 'no-store', credentials: 'same-origin',
    headers: { Accept: 'application/json' }, signal: first.signal }).then(function (r) {
    return r.ok ? r.json() : null;
  }).catch(function () {
    return null;
  }).then(function (doc) {
    clearTimeout(firstTimer);
    boot(doc);
  });
})();
