/*
 * The status page's script, plain browser JavaScript with no dependency: it reads the admin token
 * (from `#token=` once, then sessionStorage), fetches /api/admin/stats with it, draws the charts as
 * inline SVG and refreshes itself. It is a classic script inlined into the page (admin-page.ts) and
 * allowed by its hash. A .cjs file: a classic script, not an ES module, in this "type": "module"
 * package. Checked against the DOM by ./tsconfig.json (npm run typecheck), linted by eslint.
 */
(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';
  var COLORS = {
    stored: '#2e7d32',
    ready: '#2e7d32',
    failed: '#c62828',
    retried: '#ef6c00',
    skipped: '#78909c',
    migrated: '#2e7d32',
    conflicts: '#ef6c00',
    errors: '#c62828',
    p50: '#90caf9',
    p90: '#1e88e5',
    p99: '#0d47a1',
    room: '#2e7d32',
    nearlyFull: '#ef6c00',
    full: '#c62828',
  };
  var params = new URLSearchParams(location.search);
  var refreshSeconds = Math.max(2, Number(params.get('refresh')) || 10);
  var hash = new URLSearchParams(location.hash.slice(1));
  var hashToken = hash.get('token');
  if (hashToken) {
    sessionStorage.setItem('adminToken', hashToken);
    history.replaceState(null, '', location.pathname + location.search);
  }
  var timer;

  /** @param {string} id @returns {HTMLElement} the page's element (the shell always has it) */
  function $(id) {
    var node = document.getElementById(id);
    if (!node) throw new Error('status page: no element #' + id);
    return node;
  }
  /** @param {string} id @returns {HTMLInputElement} */
  function input(id) {
    return /** @type {HTMLInputElement} */ ($(id));
  }
  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    for (var key in attrs) node.setAttribute(key, attrs[key]);
    if (parent) parent.appendChild(node);
    return node;
  }
  function label(parent, x, y, value, attrs) {
    var node = el('text', Object.assign({ x: x, y: y, 'font-size': 11, fill: '#333' }, attrs || {}), parent);
    node.textContent = value;
    return node;
  }
  function reset(svg) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    return svg;
  }
  /** A chart of `rows` rows: its height and view box follow the rows, so it never scales them. */
  function sizeRows(svg, width, rows, rowHeight, padding) {
    var height = rows * rowHeight + padding;
    svg.setAttribute('height', height);
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
  }
  function empty(svg, message) {
    label(reset(svg), 10, 24, message, { fill: '#777' });
  }
  /**
   * Starts a chart of `count` rows, 640 wide: sized to them, or back to one line with the message
   * (and false) when there are none.
   */
  function startRows(svg, count, rowHeight, message) {
    reset(svg);
    if (count === 0) {
      svg.setAttribute('height', 40);
      svg.setAttribute('viewBox', '0 0 640 40');
      empty(svg, message);
      return false;
    }
    sizeRows(svg, 640, count, rowHeight, 8);
    return true;
  }
  function fmt(value, unit) {
    if (value === null || value === undefined) return '-';
    return Math.round(value * 10) / 10 + (unit || '');
  }
  function bytes(value) {
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var index = 0;
    while (Math.abs(value) >= 1024 && index < units.length - 1) {
      value = value / 1024;
      index++;
    }
    return Math.round(value * 10) / 10 + ' ' + units[index];
  }

  function drawOutcomes(svg, job, windowMinutes, now) {
    reset(svg);
    var outcomes = ['stored', 'retried', 'skipped', 'failed'];
    var width = 640,
      height = 200,
      left = 40,
      bottom = 20,
      top = 10;
    var perMinute = {};
    job.timeline.forEach(function (point) {
      perMinute[Date.parse(point.minute)] = point.outcomes;
    });
    var end = Math.floor(now / 60000) * 60000,
      start = end - (windowMinutes - 1) * 60000;
    var max = 0,
      minute;
    for (minute = start; minute <= end; minute += 60000) {
      var row = perMinute[minute] || {};
      max = Math.max(
        max,
        outcomes.reduce(function (sum, name) {
          return sum + (row[name] || 0);
        }, 0),
      );
    }
    if (max === 0) {
      empty(svg, 'No album-art jobs in the last ' + windowMinutes + ' minutes');
      return;
    }
    var slot = (width - left) / windowMinutes,
      scale = (height - top - bottom) / max;
    el('line', { x1: left, y1: height - bottom, x2: width, y2: height - bottom, stroke: '#999' }, svg);
    label(svg, 4, top + 8, String(max));
    label(svg, 4, height - bottom, '0');
    for (minute = start; minute <= end; minute += 60000) {
      var index = (minute - start) / 60000,
        values = perMinute[minute] || {},
        y = height - bottom;
      outcomes.forEach(function (name) {
        var count = values[name] || 0;
        if (count === 0) return;
        var h = count * scale;
        y -= h;
        var bar = el(
          'rect',
          {
            class: 'bar',
            x: left + index * slot + 1,
            y: y,
            width: Math.max(1, slot - 2),
            height: h,
            fill: COLORS[name],
            'data-outcome': name,
            'data-count': count,
          },
          svg,
        );
        el('title', {}, bar).textContent = new Date(minute).toLocaleTimeString() + ' ' + name + ': ' + count;
      });
      if (index % 10 === 0) label(svg, left + index * slot, height - 4, new Date(minute).toTimeString().slice(0, 5));
    }
  }

  function drawHistogram(svg, distribution) {
    reset(svg);
    if (distribution.count === 0) {
      empty(svg, 'No processing times recorded yet');
      return;
    }
    var rows = distribution.histogram,
      last = 0;
    rows.forEach(function (row, index) {
      if (row.count > 0) last = index;
    });
    rows = rows.slice(0, Math.max(last + 2, 8));
    var width = 640,
      height = 200,
      left = 40,
      bottom = 20,
      top = 10;
    var max = Math.max.apply(
      null,
      rows.map(function (row) {
        return row.count;
      }),
    );
    var slot = (width - left) / rows.length,
      scale = (height - top - bottom) / max;
    label(svg, 4, top + 8, String(max));
    el('line', { x1: left, y1: height - bottom, x2: width, y2: height - bottom, stroke: '#999' }, svg);
    rows.forEach(function (row, index) {
      var h = row.count * scale;
      var bar = el(
        'rect',
        {
          class: 'bar',
          x: left + index * slot + 2,
          y: height - bottom - h,
          width: slot - 4,
          height: h,
          fill: '#1e88e5',
          'data-le': row.le === null ? 'inf' : row.le,
          'data-count': row.count,
        },
        svg,
      );
      el('title', {}, bar).textContent = (row.le === null ? 'more' : '<= ' + row.le + ' ms') + ': ' + row.count;
      label(svg, left + index * slot + slot / 2, height - 4, row.le === null ? 'more' : '≤' + (row.le >= 1000 ? row.le / 1000 + 's' : row.le + 'ms'), {
        'font-size': 9,
        'text-anchor': 'middle',
      });
    });
  }

  function drawMigrations(svg, migrations) {
    var rowHeight = 44,
      barLeft = 10,
      barWidth = 620;
    if (!startRows(svg, migrations.length, rowHeight, 'No migrations have run')) return;
    migrations.forEach(function (migration, index) {
      var y = index * rowHeight + 4,
        counts = migration.counts;
      var total = migration.total || Math.max(counts.scanned, counts.migrated + counts.skipped + counts.conflicts + counts.errors) || 1;
      var progress = migration.progress === null ? '' : ' ' + Math.round(migration.progress * 100) + '%';
      label(
        svg,
        barLeft,
        y + 12,
        migration.id +
          ' - ' +
          migration.status +
          progress +
          ' (scanned ' +
          counts.scanned +
          ', migrated ' +
          counts.migrated +
          ', skipped ' +
          counts.skipped +
          ', conflicts ' +
          counts.conflicts +
          ', errors ' +
          counts.errors +
          ')',
      );
      el('rect', { x: barLeft, y: y + 18, width: barWidth, height: 16, fill: '#eceff1', rx: 3 }, svg);
      var x = barLeft;
      ['migrated', 'skipped', 'conflicts', 'errors'].forEach(function (name) {
        var w = barWidth * Math.min(1, counts[name] / total);
        if (w <= 0) return;
        el(
          'rect',
          {
            class: 'segment',
            x: x,
            y: y + 18,
            width: w,
            height: 16,
            fill: COLORS[name],
            'data-migration': migration.id,
            'data-part': name,
            'data-count': counts[name],
          },
          svg,
        );
        x += w;
      });
    });
  }

  function drawLatency(svg, routes) {
    reset(svg);
    routes = routes
      .filter(function (route) {
        return route.latency.count > 0;
      })
      .sort(function (a, b) {
        return b.requests - a.requests;
      })
      .slice(0, 10);
    if (routes.length === 0) {
      empty(svg, 'No API requests recorded yet');
      return;
    }
    var width = 640,
      rowHeight = 34,
      left = 250,
      barWidth = 290;
    sizeRows(svg, width, routes.length, rowHeight, 10);
    var max =
      Math.max.apply(
        null,
        routes.map(function (route) {
          return route.latency.p99Ms || 0;
        }),
      ) || 1;
    routes.forEach(function (route, index) {
      var y = index * rowHeight + 4;
      label(svg, 4, y + 14, route.route.length > 40 ? route.route.slice(0, 39) + '…' : route.route, { 'font-size': 10 });
      label(svg, 4, y + 26, route.requests + ' req, ' + Math.round(route.errorRate * 1000) / 10 + '% 5xx, ' + route.validationErrors + ' invalid', {
        'font-size': 9,
        fill: '#777',
      });
      ['p50', 'p90', 'p99'].forEach(function (name, row) {
        var value = route.latency[name + 'Ms'] || 0;
        el(
          'rect',
          {
            class: 'bar',
            x: left,
            y: y + row * 9,
            width: Math.max(1, (barWidth * value) / max),
            height: 8,
            fill: COLORS[name],
            'data-route': route.route,
            'data-percentile': name,
            'data-ms': value,
          },
          svg,
        );
        label(svg, left + Math.max(1, (barWidth * value) / max) + 4, y + row * 9 + 8, name + ' ' + fmt(value, ' ms'), { 'font-size': 9 });
      });
    });
  }

  /** The fullest taxonomy paths: numbers used of the capacity, orange from 90%, red when full. */
  function drawSequences(svg, sequences) {
    var paths = sequences.fullest,
      rowHeight = 20,
      left = 110,
      barWidth = 400;
    if (!startRows(svg, paths.length, rowHeight, 'No taxonomy path has numbered an asset yet')) return;
    paths.forEach(function (entry, index) {
      var y = index * rowHeight + 4;
      var state = entry.full ? 'full' : entry.nearlyFull ? 'nearlyFull' : 'room';
      label(svg, 4, y + 12, entry.path, { 'font-size': 11 });
      el('rect', { x: left, y: y + 2, width: barWidth, height: 12, fill: '#eceff1', rx: 2 }, svg);
      var bar = el(
        'rect',
        {
          class: 'fill',
          x: left,
          y: y + 2,
          width: Math.max(1, barWidth * Math.min(1, entry.fill)),
          height: 12,
          fill: COLORS[state],
          'data-path': entry.path,
          'data-last': entry.last,
          'data-state': state,
        },
        svg,
      );
      el('title', {}, bar).textContent = entry.path + ': ' + entry.last + ' of ' + sequences.capacity;
      label(svg, left + barWidth + 6, y + 12, entry.last + ' / ' + sequences.capacity + ' (' + Math.round(entry.fill * 100) + '%)', { 'font-size': 10 });
    });
  }

  function fillTable(id, rows) {
    var body = $(id);
    body.textContent = '';
    rows.forEach(function (cells) {
      var tr = document.createElement('tr');
      cells.forEach(function (cell) {
        var td = document.createElement('td');
        td.textContent = cell;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function render(stats) {
    var now = Date.parse(stats.generatedAt);
    var art = stats.albumArt;
    drawOutcomes($('outcomes-chart'), art, stats.windowMinutes, now);
    $('outcome-totals').textContent =
      Object.keys(art.outcomes).length === 0
        ? 'no jobs yet'
        : Object.keys(art.outcomes)
            .map(function (name) {
              return name + ' ' + art.outcomes[name];
            })
            .join(' · ');
    fillTable(
      'failure-codes',
      Object.keys(art.failuresByCode).map(function (code) {
        return [code, String(art.failuresByCode[code])];
      }),
    );
    drawHistogram($('processing-chart'), art.processing);
    $('processing-summary').textContent =
      'n ' +
      art.processing.count +
      ' · p50 ' +
      fmt(art.processing.p50Ms, ' ms') +
      ' · p90 ' +
      fmt(art.processing.p90Ms, ' ms') +
      ' · p99 ' +
      fmt(art.processing.p99Ms, ' ms');
    drawMigrations($('migrations-chart'), stats.migrations);
    drawLatency($('latency-chart'), stats.api.routes);
    drawSequences($('sequences-chart'), stats.sequences);
    var nearlyFull = stats.sequences.fullest.filter(function (entry) {
      return entry.nearlyFull;
    });
    $('sequences-summary').textContent =
      nearlyFull.length === 0
        ? 'no path is ' + Math.round((stats.sequences.nearlyFullAt / stats.sequences.capacity) * 100) + '% full'
        : nearlyFull.length +
          ' path(s) ' +
          stats.sequences.nearlyFullAt +
          '+ of ' +
          stats.sequences.capacity +
          ': ' +
          nearlyFull
            .map(function (entry) {
              return entry.path + (entry.full ? ' (full)' : '');
            })
            .join(', ');
    fillTable(
      'storage',
      stats.storage.buckets.length === 0
        ? [['no stored bytes recorded yet', '']]
        : stats.storage.buckets.map(function (bucket) {
            return [bucket.bucket, bytes(bucket.bytes)];
          }),
    );
    var variants = stats.variants;
    $('variant-totals').textContent =
      Object.keys(variants.outcomes).length === 0
        ? 'no variant jobs yet'
        : Object.keys(variants.outcomes)
            .map(function (name) {
              return name + ' ' + variants.outcomes[name];
            })
            .join(' · ') +
          ' · p50 ' +
          fmt(variants.processing.p50Ms, ' ms') +
          ' · p99 ' +
          fmt(variants.processing.p99Ms, ' ms');
  }

  function status(message, isError) {
    var node = $('status');
    node.textContent = message;
    node.className = isError ? 'error' : '';
  }

  function refresh() {
    clearTimeout(timer);
    var token = sessionStorage.getItem('adminToken');
    if (!token) {
      document.body.setAttribute('data-state', 'needs-token');
      status('Enter an admin token to load the statistics.', true);
      return;
    }
    fetch('api/admin/stats', { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' })
      .then(function (response) {
        return response.json().then(function (body) {
          return { status: response.status, body: body };
        });
      })
      .then(function (reply) {
        if (reply.status !== 200 || !reply.body.success) {
          document.body.setAttribute('data-state', 'error');
          status('Could not load the statistics (' + reply.status + '): ' + (reply.body.error ? reply.body.error.message : 'unknown error'), true);
          return;
        }
        render(reply.body.data);
        document.body.setAttribute('data-state', 'loaded');
        document.body.setAttribute('data-generated-at', reply.body.data.generatedAt);
        status('Updated ' + new Date(reply.body.data.generatedAt).toLocaleTimeString() + ' · refreshes every ' + refreshSeconds + ' s');
      })
      .catch(function (error) {
        document.body.setAttribute('data-state', 'error');
        status('Could not reach the API: ' + error.message, true);
      })
      .then(function () {
        timer = setTimeout(refresh, refreshSeconds * 1000);
      });
  }

  $('token-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var value = input('token')
      .value.trim()
      .replace(/^Bearer\s+/i, '');
    if (value) sessionStorage.setItem('adminToken', value);
    input('token').value = '';
    refresh();
  });
  refresh();
})();
