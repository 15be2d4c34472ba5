extension Explorer {
  /// The page's script: reads the numbers ``data(manifest:statistics:)`` embeds, builds the
  /// controls and draws every view as SVG from the state, which it keeps in the address.
  /// Drawing is synchronous: when a slider's event handler returns, the page shows the new
  /// point. Plain JavaScript, no library and no request; the words come from
  /// ``wordingScript``.
  static let appScript = #"""
    (function () {
      "use strict";
      var W = EnsembleWords;
      var NF = W.NumberFormat, WD = W.Wording, PS = W.PointSentence;
      var D = JSON.parse(document.getElementById("ensemble-data").textContent);

      // The result's shape --------------------------------------------------------------------
      var C = D.conditions.length;
      var K = D.keys.length;
      var R = D.replications;
      var baseline = D.baseline;
      var others = [];
      var otherIndex = {};
      for (var c0 = 0; c0 < C; c0++) {
        if (c0 !== baseline) { otherIndex[c0] = others.length; others.push(c0); }
      }
      var P = 1;
      D.keys.forEach(function (k) { P *= k.values.length; });
      if (D.points) P = D.points.length;
      if (K === 0) P = 1;

      // Each key's values in slider order (by number where all are numbers).
      var orders = D.keys.map(function (k) {
        var idx = k.values.map(function (_, i) { return i; });
        if (k.numbers) idx.sort(function (a, b) { return k.numbers[a] - k.numbers[b] || a - b; });
        return idx;
      });
      var strides = [];
      var stride = 1;
      for (var k0 = K - 1; k0 >= 0; k0--) { strides[k0] = stride; stride *= D.keys[k0].values.length; }
      var pointMap = null;
      if (D.points) {
        pointMap = {};
        D.points.forEach(function (tuple, p) { pointMap[tuple.join(",")] = p; });
      }
      // The point with value index vi[k] of each key, or -1 when the result has none.
      function pointOf(vi) {
        if (K === 0) return 0;
        if (pointMap) {
          var p = pointMap[vi.join(",")];
          return p === undefined ? -1 : p;
        }
        var q = 0;
        for (var k = 0; k < K; k++) q += vi[k] * strides[k];
        return q;
      }

      // The numbers -----------------------------------------------------------------------------
      function bytesOf(b64) {
        var text = atob(b64);
        var bytes = new Uint8Array(text.length);
        for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
        return bytes;
      }
      function floats(b64) {
        var bytes = bytesOf(b64);
        var view = new DataView(bytes.buffer);
        var wide = D.precision === 64;
        var n = bytes.length / (wide ? 8 : 4);
        var out = new Float64Array(n);
        for (var i = 0; i < n; i++) out[i] = wide ? view.getFloat64(i * 8, true) : view.getFloat32(i * 4, true);
        return out;
      }
      function ints(b64) {
        var bytes = bytesOf(b64);
        var view = new DataView(bytes.buffer);
        var out = new Int32Array(bytes.length / 4);
        for (var i = 0; i < out.length; i++) out[i] = view.getInt32(i * 4, true);
        return out;
      }
      var metrics = D.metrics.map(function (info, m) {
        var cell = D.cells[m];
        info.upper = info.upper === null ? Infinity : info.upper;
        return {
          info: info, s: floats(cell.s), sn: cell.sn ? ints(cell.sn) : null,
          d: cell.d ? floats(cell.d) : null, dn: cell.dn ? ints(cell.dn) : null,
          pb: cell.pb ? floats(cell.pb) : null
        };
      });
      var metricIndex = {};
      D.metrics.forEach(function (info, m) { metricIndex[info.name] = m; });
      var reportMetrics = D.reportMetrics.map(function (name) { return metricIndex[name]; });

      function value(x) { return x !== x ? null : x; }

      // Condition c's mean of metric m at point p, with the report's bounded interval.
      function level(c, p, m) {
        var M = metrics[m];
        var i = (c * P + p) * 3;
        var mean = value(M.s[i]), low = value(M.s[i + 1]), high = value(M.s[i + 2]);
        var n = M.sn ? M.sn[c * P + p] : R;
        var b = W.BoundedInterval.ofSummary(mean, low, high, n, M.info.lower, M.info.upper);
        return { mean: mean, low: b ? b[0] : null, high: b ? b[1] : null, n: n };
      }

      // Condition c against the baseline at point p: a PairedPoint, as the report builds it.
      function paired(c, p, m) {
        var M = metrics[m];
        var o = otherIndex[c];
        var j = (o * P + p) * 3;
        var n = M.dn ? M.dn[o * P + p] : R;
        var b = M.pb ? M.pb : M.s;
        var bi = M.pb ? j : (baseline * P + p) * 3;
        return new W.PairedPoint(
          n, value(b[bi]), value(b[bi + 1]), value(b[bi + 2]),
          value(M.d[j]), value(M.d[j + 1]), value(M.d[j + 2]));
      }

      // The state, and the address that holds it ----------------------------------------------
      var state = {
        metric: reportMetrics.length ? reportMetrics[0] : 0,
        vi: orders.map(function (order) { return order[0]; }),
        x: 0,
        y: K > 1 ? 1 : 0,
        vs: others.length ? others[0] : -1,
        hidden: {},
        present: false
      };

      function conditionNamed(name) { return D.conditions.indexOf(name); }
      function keyNamed(name) {
        for (var k = 0; k < K; k++) if (D.keys[k].key === name) return k;
        return -1;
      }
      // The value index of key k nearest to `text`: the value itself, else the nearest number.
      function snap(k, text) {
        var key = D.keys[k];
        var exact = key.values.indexOf(text);
        if (exact >= 0) return exact;
        var x = Number(text);
        if (!key.numbers || text === "" || !isFinite(x)) return -1;
        var best = -1;
        orders[k].forEach(function (i) {
          if (best < 0 || Math.abs(key.numbers[i] - x) < Math.abs(key.numbers[best] - x)) best = i;
        });
        return best;
      }

      function decode(text) {
        try { return decodeURIComponent(text.replace(/\+/g, " ")); } catch (e) { return text; }
      }
      function encode(text) { return encodeURIComponent(text).replace(/%2C/g, ","); }

      function readHash() {
        var hash = location.hash.replace(/^#/, "");
        var hidden = {};
        hash.split("&").forEach(function (part) {
          if (!part) return;
          var eq = part.indexOf("=");
          var name = decode(eq < 0 ? part : part.slice(0, eq));
          var text = eq < 0 ? "" : decode(part.slice(eq + 1));
          var k = keyNamed(name);
          if (k >= 0) {
            var i = snap(k, text);
            if (i >= 0) state.vi[k] = i;
          } else if (name === "metric") {
            if (metricIndex[text] !== undefined) state.metric = metricIndex[text];
          } else if (name === "x" || name === "y") {
            var key = keyNamed(text);
            if (key >= 0) state[name] = key;
          } else if (name === "vs") {
            var vs = conditionNamed(text);
            if (vs >= 0 && vs !== baseline) state.vs = vs;
          } else if (name === "hide") {
            var h = conditionNamed(text);
            if (h >= 0) hidden[h] = true;
          } else if (name === "present") {
            state.present = text !== "0";
          }
        });
        state.hidden = hidden;
        if (K > 1 && state.y === state.x) state.y = state.x === 0 ? 1 : 0;
      }

      function hashOf() {
        var parts = ["metric=" + encode(D.metrics[state.metric].name)];
        for (var k = 0; k < K; k++) {
          parts.push(encode(D.keys[k].key) + "=" + encode(D.keys[k].values[state.vi[k]]));
        }
        if (K > 1 && state.x !== 0) parts.push("x=" + encode(D.keys[state.x].key));
        if (K > 1 && state.y !== (state.x === 0 ? 1 : 0)) parts.push("y=" + encode(D.keys[state.y].key));
        if (others.length > 1 && state.vs !== others[0]) parts.push("vs=" + encode(D.conditions[state.vs]));
        for (var c = 0; c < C; c++) if (state.hidden[c]) parts.push("hide=" + encode(D.conditions[c]));
        if (state.present) parts.push("present=1");
        return parts.join("&");
      }

      var written = null;
      var hashTimer = null;
      function writeHash(now) {
        if (hashTimer !== null) { clearTimeout(hashTimer); hashTimer = null; }
        var apply = function () {
          hashTimer = null;
          var text = hashOf();
          if (location.hash.replace(/^#/, "") === text) { written = text; return; }
          written = text;
          try { history.replaceState(null, "", "#" + text); } catch (e) { location.replace("#" + text); }
        };
        if (now) apply(); else hashTimer = setTimeout(apply, 150);
      }

      // Drawing helpers ---------------------------------------------------------------------------
      function esc(text) {
        return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
          .replace(/"/g, "&quot;");
      }
      // A report sentence's **bold** as <strong>.
      function markdown(text) {
        return esc(text).replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>");
      }
      function plain(text) { return text.replace(/\*\*/g, ""); }
      function r1(x) { return Math.round(x * 10) / 10; }
      function colour(c) { return D.palette[c % D.palette.length]; }
      // Beyond eight conditions colours repeat, with another dash and marker.
      function dash(c) { return D.dashes[(c + Math.floor(c / D.palette.length)) % D.dashes.length]; }
      var light = "#F0E442";

      function marker(c, x, y, size) {
        var s = size || 1;
        var col = colour(c);
        var shape = (c + 3 * Math.floor(c / D.palette.length)) % 8;
        var paint;
        if (col === light) paint = ' fill="' + col + '" stroke="#444444" stroke-width="1.25"';
        else if (shape >= 5) paint = ' fill="#FFFFFF" stroke="' + col + '" stroke-width="2"';
        else paint = ' fill="' + col + '" stroke="#FFFFFF" stroke-width="1"';
        function poly(pts) {
          return '<polygon points="' + pts.map(function (q) { return r1(x + q[0] * s) + "," + r1(y + q[1] * s); }).join(" ") + '"' + paint + "/>";
        }
        switch (shape) {
          case 0: case 5: return '<circle cx="' + r1(x) + '" cy="' + r1(y) + '" r="' + r1(5.5 * s) + '"' + paint + "/>";
          case 1: case 6: return '<rect x="' + r1(x - 5 * s) + '" y="' + r1(y - 5 * s) + '" width="' + r1(10 * s) + '" height="' + r1(10 * s) + '"' + paint + "/>";
          case 2: return poly([[0, -7], [6.5, 4.5], [-6.5, 4.5]]);
          case 4: return poly([[0, 7], [6.5, -4.5], [-6.5, -4.5]]);
          default: return poly([[0, -7], [7, 0], [0, 7], [-7, 0]]);
        }
      }
      function sample(c) {
        var col = colour(c);
        var d = dash(c);
        return '<svg width="40" height="16" aria-hidden="true">' +
          (col === light ? '<line x1="2" y1="8" x2="38" y2="8" stroke="#6E6E6E" stroke-width="4.5"/>' : "") +
          '<line x1="2" y1="8" x2="38" y2="8" stroke="' + col + '" stroke-width="2.5"' +
          (d ? ' stroke-dasharray="' + d + '"' : "") + "/>" + marker(c, 20, 8) + "</svg>";
      }

      // "Nice" ticks covering [a, b], as the report's charts choose them.
      function niceScale(a, b, count) {
        var low = Math.min(a, b), high = Math.max(a, b);
        if (!isFinite(low) || !isFinite(high)) { low = 0; high = 1; }
        if (low === high) { var widen = low === 0 ? 1 : Math.abs(low) * 0.1; low -= widen; high += widen; }
        var rough = (high - low) / Math.max(1, count);
        var exponent = Math.floor(Math.log10(rough));
        var normalized = rough / Math.pow(10, exponent);
        var mult = 10;
        [1, 2, 2.5, 5, 10].some(function (m) { if (m >= normalized * (1 - 1e-9)) { mult = m; return true; } return false; });
        if (mult === 10) { mult = 1; exponent += 1; }
        var step = exponent >= 0 ? mult * Math.pow(10, exponent) : mult / Math.pow(10, -exponent);
        var decimals = Math.max(0, -exponent + (mult === 2.5 ? 1 : 0));
        var first = Math.floor(low / step + 1e-9), last = Math.ceil(high / step - 1e-9);
        var ticks = [];
        var scale = Math.pow(10, decimals);
        for (var i = first; i <= last; i++) {
          var v = Math.round(i * step * scale) / scale;
          ticks.push(v === 0 ? 0 : v);
        }
        return {
          ticks: ticks, low: ticks[0], high: ticks[ticks.length - 1],
          label: function (v) { return decimals > 6 ? NF.label(v) : NF.fixed(v, decimals); }
        };
      }

      // Words for a label: lines of at most `width` characters.
      function wrap(text, width) {
        var lines = [];
        var line = "";
        text.split(" ").forEach(function (word) {
          if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
          else line = line ? line + " " + word : word;
        });
        if (line) lines.push(line);
        return lines;
      }

      function metricInfo(m) { return D.metrics[m]; }
      // What a difference axis measures: "Difference in cost units", or in the metric's own
      // words where it has no unit.
      function differenceAxis(info) { return "Difference in " + (info.unit || WD.inSentence(info.label)); }
      function labelWithUnit(info) { return info.unit ? info.label + " (" + info.unit + ")" : info.label; }
      function betterText(info) {
        return info.better === "higher" ? "higher is better" : info.better === "lower" ? "lower is better" : "neither direction is better";
      }
      function keyValue(k) { return D.keys[k].values[state.vi[k]]; }
      // "AI count 5, experts count 2" (the report's words for a point), leaving out key `skip`.
      function pointText(skip) {
        var parts = [];
        for (var k = 0; k < K; k++) {
          if (skip && skip.indexOf(k) >= 0) continue;
          parts.push(WD.inSentence(D.keys[k].label) + " " + keyValue(k));
        }
        return parts.join(", ");
      }
      function visible(c) { return !state.hidden[c]; }
      function conditionLabel(c) {
        return c === baseline && C > 1 ? D.conditions[c] + " (baseline)" : D.conditions[c];
      }
      function fontSize() { return state.present ? 20 : 13; }
      function widthOf(id, fallback) {
        var w = document.getElementById(id).clientWidth;
        return w > 100 ? w : fallback;
      }
      function show(id, on) { document.getElementById(id).hidden = !on; }
      // A view's line under its title: where it is (kept in present mode), then how to read it.
      function sub(id, where, explain) {
        document.getElementById(id).innerHTML = esc(where) + (where && explain ? " " : "") +
          '<span class="explain">' + esc(explain) + "</span>";
      }

      // The line chart: the metric against one swept key ---------------------------------------
      var lineGeometry = null;
      function renderLine(width) {
        var on = K > 0;
        show("line-view", on);
        if (!on) return;
        var m = state.metric, info = metricInfo(m), xk = state.x, key = D.keys[xk];
        var order = orders[xk];
        var fs = fontSize();
        var height = Math.round(state.present ? Math.min(440, Math.max(300, width * 0.66)) : Math.min(320, Math.max(240, width * 0.58)));
        var left = fs * 4.6, right = fs * 1.2, top = fs * 0.8, bottom = fs * 3.6;
        var plotW = width - left - right, plotH = height - top - bottom;
        var xs;
        if (key.numbers && order.length > 1) {
          var lo = key.numbers[order[0]], hi = key.numbers[order[order.length - 1]];
          var pad = (hi - lo) * 0.04;
          xs = order.map(function (i) { return left + (key.numbers[i] - lo + pad) / (hi - lo + 2 * pad) * plotW; });
        } else {
          xs = order.map(function (_, j) { return left + (j + 0.5) / order.length * plotW; });
        }
        var vi = state.vi.slice();
        var series = [];
        var ymin = Infinity, ymax = -Infinity;
        for (var c = 0; c < C; c++) {
          if (!visible(c)) continue;
          var pts = order.map(function (i, j) {
            vi[xk] = i;
            var p = pointOf(vi);
            var l = p < 0 ? { mean: null, low: null, high: null } : level(c, p, m);
            [l.mean, l.low, l.high].forEach(function (v) {
              if (v !== null) { ymin = Math.min(ymin, v); ymax = Math.max(ymax, v); }
            });
            return { x: xs[j], l: l };
          });
          series.push({ c: c, pts: pts });
        }
        var scale = niceScale(ymin, ymax, state.present ? 5 : 5);
        function y(v) { return top + (scale.high - v) / (scale.high - scale.low) * plotH; }
        var out = [];
        out.push('<svg width="' + width + '" height="' + height + '" role="img" aria-label="' + esc(labelWithUnit(info) + " against " + key.label) + '" font-size="' + fs + '">');
        scale.ticks.forEach(function (t) {
          var ty = r1(y(t));
          out.push('<line x1="' + r1(left) + '" y1="' + ty + '" x2="' + r1(left + plotW) + '" y2="' + ty + '" stroke="#E3E3E3"/>');
          out.push('<text x="' + r1(left - 6) + '" y="' + r1(y(t) + fs * 0.35) + '" text-anchor="end" fill="#333">' + esc(scale.label(t)) + "</text>");
        });
        // x labels, thinned so that they do not touch.
        var room = plotW / Math.max(1, order.length);
        var widest = 0;
        order.forEach(function (i) { widest = Math.max(widest, key.values[i].length); });
        var every = Math.max(1, Math.ceil((widest * fs * 0.62 + fs) / room));
        var sj = order.indexOf(state.vi[xk]);
        order.forEach(function (i, j) {
          var chosen = j === sj;
          if (!chosen && (j % every !== 0 || Math.abs(j - sj) < every)) return;
          out.push('<text x="' + r1(xs[j]) + '" y="' + r1(top + plotH + fs * 1.3) + '" text-anchor="middle"' + (chosen ? ' font-weight="bold" fill="#000"' : ' fill="#333"') + ">" + esc(key.values[i]) + "</text>");
        });
        out.push('<text x="' + r1(left + plotW / 2) + '" y="' + r1(height - fs * 0.6) + '" text-anchor="middle" fill="#1a1a1a">' + esc(key.axis) + "</text>");
        out.push('<line x1="' + r1(left) + '" y1="' + r1(top + plotH) + '" x2="' + r1(left + plotW) + '" y2="' + r1(top + plotH) + '" stroke="#888"/>');
        // The selected value.
        out.push('<line x1="' + r1(xs[sj]) + '" y1="' + r1(top) + '" x2="' + r1(xs[sj]) + '" y2="' + r1(top + plotH) + '" stroke="#555" stroke-width="1.5" stroke-dasharray="4 4"/>');
        // Bands, then lines, then markers, so that no band hides a line.
        series.forEach(function (s) {
          var run = [];
          var flush = function () {
            if (run.length > 1) {
              var upper = run.map(function (q) { return r1(q.x) + "," + r1(y(q.l.high)); });
              var lower = run.slice().reverse().map(function (q) { return r1(q.x) + "," + r1(y(q.l.low)); });
              out.push('<polygon points="' + upper.concat(lower).join(" ") + '" fill="' + colour(s.c) + '" fill-opacity="0.16" stroke="none"/>');
            } else if (run.length === 1) {
              var q = run[0];
              out.push('<line x1="' + r1(q.x) + '" y1="' + r1(y(q.l.low)) + '" x2="' + r1(q.x) + '" y2="' + r1(y(q.l.high)) + '" stroke="' + colour(s.c) + '" stroke-opacity="0.5" stroke-width="6"/>');
            }
            run = [];
          };
          s.pts.forEach(function (q) { if (q.l.low !== null && q.l.high !== null) run.push(q); else flush(); });
          flush();
        });
        series.forEach(function (s) {
          var d = "";
          var pen = false;
          s.pts.forEach(function (q) {
            if (q.l.mean === null) { pen = false; return; }
            d += (pen ? "L" : "M") + r1(q.x) + "," + r1(y(q.l.mean));
            pen = true;
          });
          if (!d) return;
          var col = colour(s.c);
          if (col === light) out.push('<path d="' + d + '" fill="none" stroke="#6E6E6E" stroke-width="4.5"/>');
          out.push('<path d="' + d + '" fill="none" stroke="' + col + '" stroke-width="2.5"' + (dash(s.c) ? ' stroke-dasharray="' + dash(s.c) + '"' : "") + "/>");
        });
        var labels = [];
        series.forEach(function (s) {
          s.pts.forEach(function (q, j) {
            if (q.l.mean === null) return;
            var chosen = j === sj;
            // Many points: a marker on the selected one only.
            if (chosen || order.length <= 25) out.push(marker(s.c, q.x, y(q.l.mean), chosen ? 1.45 : 1));
            if (chosen) labels.push({ c: s.c, y: y(q.l.mean), text: WD.number(q.l.mean) });
          });
        });
        // The selected point's means beside their markers, pushed apart where they would touch.
        labels.sort(function (a, b) { return a.y - b.y; });
        for (var i = 1; i < labels.length; i++) labels[i].y = Math.max(labels[i].y, labels[i - 1].y + fs * 1.15);
        var rightSide = xs[sj] < left + plotW * 0.72;
        labels.forEach(function (lab) {
          var lx = rightSide ? xs[sj] + 11 : xs[sj] - 11;
          out.push('<text x="' + r1(lx) + '" y="' + r1(lab.y + fs * 0.35) + '" text-anchor="' + (rightSide ? "start" : "end") + '" font-weight="bold" fill="' + (colour(lab.c) === light ? "#6E6E6E" : colour(lab.c)) + '" stroke="#fff" stroke-width="3" paint-order="stroke">' + esc(lab.text) + "</text>");
        });
        out.push('<rect x="' + r1(left) + '" y="' + r1(top) + '" width="' + r1(plotW) + '" height="' + r1(plotH + fs * 2) + '" fill="transparent" style="cursor:pointer"/>');
        out.push("</svg>");
        document.getElementById("line-title").textContent = labelWithUnit(info) + " against " + WD.inSentence(key.label);
        var rest = K > 1 ? "At " + pointText([xk]) + ". " : "";
        sub("line-sub", rest.trim(), "Bands: 95% intervals; " + betterText(info) + ".");
        document.getElementById("line").innerHTML = out.join("");
        lineGeometry = { xs: xs, order: order, xk: xk };
      }

      // The difference from the baseline at the selected point --------------------------------
      function renderDiff(p, width) {
        var el = document.getElementById("diff");
        var m = state.metric, info = metricInfo(m);
        // One condition: nothing to compare, no view.
        show("diff-view", C > 1);
        if (C < 2) return;
        document.getElementById("diff-title").textContent = "Difference from " + D.conditions[baseline];
        sub("diff-sub", K ? "At " + pointText() + "." : "", "Paired: every condition faced the same tasks in each replication.");
        var fs = fontSize();
        var shown = others.filter(visible);
        if (!shown.length) { el.innerHTML = '<p class="note">Every condition but the baseline is hidden.</p>'; return; }
        var sentenceMetrics = reportMetrics.slice();
        if (!sentenceMetrics.length) sentenceMetrics = [m];
        var html = [];
        // Many conditions: one forest of them all, and the card of the condition to compare.
        var cards = shown;
        if (shown.length > 3) {
          html.push(forestRows(shown.map(function (c) { return { c: c, point: paired(c, p, m) }; }), info, width, fs));
          cards = [shown.indexOf(state.vs) >= 0 ? state.vs : shown[0]];
        }
        cards.forEach(function (c) {
          var point = paired(c, p, m);
          var dir = point.direction();
          var kind = dir === 0 ? "" : info.better === "neither" ? "" :
            ((dir > 0) === (info.better === "higher") ? "better" : "worse");
          var badge = dir === 0 ? "no clear difference" : (dir > 0 ? "clearly higher" : "clearly lower") + (kind ? ": " + kind : "");
          var headline = PS.headline(sentenceMetrics.map(function (q) { return [metricInfo(q), paired(c, p, q)]; }), D.conditions[c], D.conditions[baseline]);
          var extra = sentenceMetrics.indexOf(m) < 0 ? PS.comparison(info, D.conditions[c], D.conditions[baseline], point) + "." : "";
          var who = ' data-condition="' + esc(D.conditions[c]) + '"';
          html.push('<div class="diff-card" style="border-color:' + colour(c) + '"' + who + ">");
          html.push('<div class="diff-head">' + esc(D.conditions[c]) + ' <span class="vs">\u2212 ' + esc(D.conditions[baseline]) + ", " + esc(WD.inSentence(info.label)) + '</span> <span class="badge ' + kind + '">' + esc(badge) + "</span></div>");
          html.push('<div class="diff-big" data-cell="short"' + who + ">" + esc(PS.short(info, point)) + "</div>");
          html.push('<div class="diff-interval" data-cell="interval"' + who + ">" + esc(PS.interval(info, point) || "no interval") + " \u00B7 " + esc(WD.count(point.n, "paired replication")) + "</div>");
          if (cards.length === shown.length) html.push(forest(point, info, Math.min(width - 24, 520), fs, colour(c)));
          html.push('<p class="sentence" data-cell="sentence"' + who + ">" + markdown(headline) + "</p>");
          if (extra) html.push('<p class="sentence" data-cell="comparison"' + who + ">" + markdown(extra) + "</p>");
          html.push("</div>");
        });
        el.innerHTML = html.join("");
      }

      // Every condition's difference on one axis through zero, a row each; a click picks one.
      function forestRows(rows, info, width, fs) {
        var reach = 0;
        var longest = 0;
        rows.forEach(function (r) {
          [r.point.low, r.point.high, r.point.difference].forEach(function (v) { if (v !== null) reach = Math.max(reach, Math.abs(v)); });
          longest = Math.max(longest, D.conditions[r.c].length);
        });
        var scale = niceScale(-(reach * 1.1 || 1), reach * 1.1 || 1, 4);
        var rowH = fs * 1.75;
        var nameW = Math.min(width * 0.4, longest * fs * 0.6 + 10);
        var textW = fs * 4.2;
        var left = nameW + 8, right = textW + 6;
        var axisH = rowH * rows.length + fs * 1.8, height = axisH + fs * 1.2;
        function x(v) { return left + (v - scale.low) / (scale.high - scale.low) * (width - left - right); }
        var out = ['<svg id="forest" width="' + r1(width) + '" height="' + r1(height) + '" font-size="' + fs + '" role="img" aria-label="' + esc("Differences in " + info.label) + '">'];
        out.push('<line x1="' + r1(x(0)) + '" y1="0" x2="' + r1(x(0)) + '" y2="' + r1(rowH * rows.length) + '" stroke="#333" stroke-dasharray="4 3"/>');
        scale.ticks.forEach(function (t) {
          out.push('<text x="' + r1(x(t)) + '" y="' + r1(axisH - fs * 0.4) + '" text-anchor="middle" fill="#555" font-size="' + r1(fs * 0.9) + '">' + esc(scale.label(t)) + "</text>");
        });
        out.push('<text class="axis-caption" x="' + r1(x(0)) + '" y="' + r1(height - fs * 0.3) + '" text-anchor="middle" fill="#555" font-size="' + r1(fs * 0.9) + '">' + esc(differenceAxis(info)) + "</text>");
        rows.forEach(function (r, i) {
          var y = rowH * (i + 0.5);
          var col = colour(r.c);
          var focus = r.c === state.vs;
          if (focus) out.push('<rect x="0" y="' + r1(rowH * i) + '" width="' + r1(width) + '" height="' + r1(rowH) + '" fill="#F0F0F0"/>');
          out.push('<text x="' + r1(nameW) + '" y="' + r1(y + fs * 0.35) + '" text-anchor="end"' + (focus ? ' font-weight="bold"' : "") + ">" + esc(D.conditions[r.c]) + "</text>");
          var pt = r.point;
          if (pt.low !== null && pt.high !== null) {
            out.push('<line x1="' + r1(x(pt.low)) + '" y1="' + r1(y) + '" x2="' + r1(x(pt.high)) + '" y2="' + r1(y) + '" stroke="' + col + '" stroke-width="3"/>');
          }
          if (pt.difference !== null) {
            out.push('<circle cx="' + r1(x(pt.difference)) + '" cy="' + r1(y) + '" r="' + r1(fs * 0.38) + '" fill="' + (pt.isClear() ? col : "#FFFFFF") + '" stroke="' + col + '" stroke-width="2.5"/>');
          }
          out.push('<text x="' + r1(width - 2) + '" y="' + r1(y + fs * 0.35) + '" text-anchor="end"' + (pt.isClear() ? ' font-weight="bold"' : "") + ">" + esc(PS.short(info, pt)) + "</text>");
          out.push('<rect class="pick" data-condition-index="' + r.c + '" x="0" y="' + r1(rowH * i) + '" width="' + r1(width) + '" height="' + r1(rowH) + '" fill="transparent" style="cursor:pointer"/>');
        });
        out.push("</svg>");
        return out.join("") + '<p class="note explain">Filled: the 95% interval excludes zero. Click a row for its sentence.</p>';
      }

      // One difference on an axis through zero.
      function forest(point, info, width, fs, col) {
        if (point.difference === null || point.low === null || point.high === null) return "";
        var reach = Math.max(Math.abs(point.low), Math.abs(point.high), Math.abs(point.difference)) * 1.15 || 1;
        var scale = niceScale(-reach, reach, 4);
        // The axis is the difference itself, in the metric's unit (the headline may be a
        // relative change): its caption says so, so "-10" under "-23%" is not read as a percent.
        var left = fs, right = fs, axisH = fs * 3.4, height = axisH + fs * 1.2, mid = fs * 1.1;
        function x(v) { return left + (v - scale.low) / (scale.high - scale.low) * (width - left - right); }
        var out = ['<svg width="' + width + '" height="' + r1(height) + '" font-size="' + r1(fs * 0.9) + '" aria-hidden="true">'];
        scale.ticks.forEach(function (t) {
          out.push('<text x="' + r1(x(t)) + '" y="' + r1(axisH - fs * 0.3) + '" text-anchor="middle" fill="#555">' + esc(scale.label(t)) + "</text>");
        });
        out.push('<text class="axis-caption" x="' + r1(x(0)) + '" y="' + r1(height - fs * 0.25) + '" text-anchor="middle" fill="#555">' + esc(differenceAxis(info)) + "</text>");
        out.push('<line x1="' + r1(x(scale.low)) + '" y1="' + r1(mid + fs) + '" x2="' + r1(x(scale.high)) + '" y2="' + r1(mid + fs) + '" stroke="#BBB"/>');
        out.push('<line x1="' + r1(x(0)) + '" y1="2" x2="' + r1(x(0)) + '" y2="' + r1(mid + fs) + '" stroke="#333" stroke-dasharray="4 3"/>');
        out.push('<line x1="' + r1(x(point.low)) + '" y1="' + r1(mid) + '" x2="' + r1(x(point.high)) + '" y2="' + r1(mid) + '" stroke="' + col + '" stroke-width="3"/>');
        [point.low, point.high].forEach(function (v) {
          out.push('<line x1="' + r1(x(v)) + '" y1="' + r1(mid - 6) + '" x2="' + r1(x(v)) + '" y2="' + r1(mid + 6) + '" stroke="' + col + '" stroke-width="3"/>');
        });
        out.push('<circle cx="' + r1(x(point.difference)) + '" cy="' + r1(mid) + '" r="6" fill="' + (point.isClear() ? col : "#FFFFFF") + '" stroke="' + col + '" stroke-width="2.5"/>');
        out.push("</svg>");
        return out.join("");
      }

      // Bars: every report metric at the selected point ------------------------------------------
      // The axis of bars of `levels` (each condition's mean and interval): from zero, or the
      // metric's lower bound when it is below zero, to the highest mean or upper bound.
      function levelScale(levels, info) {
        var top = 0, low = Math.min(0, info.lower);
        levels.forEach(function (e) { [e.l.mean, e.l.high].forEach(function (v) { if (v !== null) top = Math.max(top, v); }); });
        return niceScale(low, top > low ? top : low + 1, 4);
      }
      function renderBars(p, width) {
        var list = reportMetrics.length ? reportMetrics.slice() : [state.metric];
        var shown = [];
        for (var c = 0; c < C; c++) if (visible(c)) shown.push(c);
        var fs = fontSize();
        if (shown.length > 4) { renderBarRows(p, width, list, shown, fs); return; }
        // As many panels a row as fit, in rows of equal length (4 metrics: 2 by 2, not 3 and 1).
        var fit = Math.max(1, Math.min(list.length, Math.floor((width + 10) / (state.present ? 250 : 150))));
        var columns = Math.ceil(list.length / Math.ceil(list.length / fit));
        var panelW = Math.floor((width + 10) / columns) - 14;
        var chars = Math.max(8, Math.floor(panelW / (fs * 0.58)));
        var titleLines = 1;
        list.forEach(function (m) { titleLines = Math.max(titleLines, wrap(metricInfo(m).label, chars).length); });
        var height = Math.round(fs * (state.present ? 15 : 14));
        var html = [];
        list.forEach(function (m) {
          var info = metricInfo(m);
          var levels = shown.map(function (c) { return { c: c, l: level(c, p, m) }; });
          var scale = levelScale(levels, info);
          var head = fs * (1.25 * titleLines + 1.5);
          var foot = fs * 0.6;
          var left = fs * 0.5, right = fs * 0.5;
          var plotH = height - head - foot - fs * 1.3;
          function y(v) { return head + fs * 1.3 + (scale.high - v) / (scale.high - scale.low) * plotH; }
          var out = ['<svg width="' + panelW + '" height="' + height + '" font-size="' + fs + '" role="img" aria-label="' + esc(info.label) + '">'];
          var lines = wrap(info.label, chars);
          lines.forEach(function (line, i) {
            out.push('<text x="' + r1(panelW / 2) + '" y="' + r1(fs * (1.1 + 1.25 * i)) + '" text-anchor="middle" font-weight="bold">' + esc(line) + "</text>");
          });
          var arrow = info.better === "higher" ? "\u2191 better" : info.better === "lower" ? "\u2193 better" : "";
          out.push('<text x="' + r1(panelW / 2) + '" y="' + r1(fs * (1.05 + 1.25 * lines.length)) + '" text-anchor="middle" fill="#555" font-size="' + r1(fs * 0.85) + '">' + esc([info.unit, arrow].filter(Boolean).join(", ")) + "</text>");
          var plotW = panelW - left - right;
          var slot = plotW / Math.max(1, levels.length);
          var barW = Math.min(slot * 0.62, fs * 4);
          out.push('<line x1="' + r1(left) + '" y1="' + r1(y(Math.max(scale.low, Math.min(0, scale.high)))) + '" x2="' + r1(left + plotW) + '" y2="' + r1(y(Math.max(scale.low, Math.min(0, scale.high)))) + '" stroke="#888"/>');
          levels.forEach(function (e, i) {
            var cx = left + slot * (i + 0.5);
            var l = e.l;
            if (l.mean === null) {
              out.push('<text x="' + r1(cx) + '" y="' + r1(y(scale.low) - 4) + '" text-anchor="middle" fill="#777">\u2013</text>');
              return;
            }
            var base = y(Math.max(scale.low, 0));
            var ym = y(l.mean);
            var col = colour(e.c);
            out.push('<rect x="' + r1(cx - barW / 2) + '" y="' + r1(Math.min(ym, base)) + '" width="' + r1(barW) + '" height="' + r1(Math.abs(base - ym)) + '" fill="' + col + '"' + (col === light ? ' stroke="#444"' : "") + "/>");
            if (l.low !== null && l.high !== null) {
              var yl = y(l.low), yh = y(l.high);
              out.push('<path d="M' + r1(cx) + "," + r1(yl) + "V" + r1(yh) + "M" + r1(cx - 5) + "," + r1(yl) + "h10M" + r1(cx - 5) + "," + r1(yh) + 'h10" stroke="#1a1a1a" stroke-width="1.6" fill="none"/>');
            }
            var ty = (l.high !== null ? y(l.high) : ym) - 5;
            out.push('<text x="' + r1(cx) + '" y="' + r1(ty) + '" text-anchor="middle" font-weight="bold">' + esc(WD.number(l.mean)) + "</text>");
          });
          out.push("</svg>");
          html.push('<div class="panel' + (m === state.metric ? " chosen" : "") + '" data-metric="' + esc(info.name) + '" title="Show ' + esc(info.label) + ' in the other views">' + out.join("") + "</div>");
        });
        document.getElementById("bars").innerHTML = html.join("");
        sub("bars-sub", K ? "At " + pointText() + "." : "", "Bars: means; whiskers: 95% intervals. Click a panel to pick its metric.");
      }

      // Many conditions: a panel per metric with a row per condition, named on the left.
      function renderBarRows(p, width, list, shown, fs) {
        var cols = width >= 760 ? 2 : 1;
        var panelW = Math.floor((width + 10) / cols) - 14;
        var longest = 0;
        shown.forEach(function (c) { longest = Math.max(longest, D.conditions[c].length); });
        var nameW = Math.min(panelW * 0.42, longest * fs * 0.6 + 8);
        var valueW = fs * 3.4;
        var rowH = fs * 1.45;
        var head = fs * 2.6;
        var html = [];
        list.forEach(function (m) {
          var info = metricInfo(m);
          var levels = shown.map(function (c) { return { c: c, l: level(c, p, m) }; });
          var scale = levelScale(levels, info);
          var left = nameW + 8, right = valueW;
          function x(v) { return left + (v - scale.low) / (scale.high - scale.low) * (panelW - left - right); }
          var height = head + rowH * levels.length + fs * 0.4;
          var arrow = info.better === "higher" ? "\u2191 better" : info.better === "lower" ? "\u2193 better" : "";
          var out = ['<svg width="' + panelW + '" height="' + r1(height) + '" font-size="' + fs + '" role="img" aria-label="' + esc(info.label) + '">'];
          out.push('<text x="4" y="' + r1(fs * 1.1) + '" font-weight="bold">' + esc(info.label) + "</text>");
          out.push('<text x="4" y="' + r1(fs * 2.2) + '" fill="#555" font-size="' + r1(fs * 0.85) + '">' + esc([info.unit, arrow].filter(Boolean).join(", ")) + "</text>");
          out.push('<line x1="' + r1(x(Math.max(scale.low, 0))) + '" y1="' + r1(head) + '" x2="' + r1(x(Math.max(scale.low, 0))) + '" y2="' + r1(head + rowH * levels.length) + '" stroke="#888"/>');
          levels.forEach(function (e, i) {
            var y = head + rowH * (i + 0.5);
            var l = e.l;
            var col = colour(e.c);
            out.push('<text x="' + r1(nameW) + '" y="' + r1(y + fs * 0.35) + '" text-anchor="end">' + esc(D.conditions[e.c]) + "</text>");
            if (l.mean === null) return;
            var x0 = x(Math.max(scale.low, 0)), xm = x(l.mean);
            out.push('<rect x="' + r1(Math.min(x0, xm)) + '" y="' + r1(y - rowH * 0.32) + '" width="' + r1(Math.abs(xm - x0)) + '" height="' + r1(rowH * 0.64) + '" fill="' + col + '"' + (col === light ? ' stroke="#444"' : "") + "/>");
            var end = xm;
            if (l.low !== null && l.high !== null) {
              var xl = x(l.low), xh = x(l.high);
              out.push('<path d="M' + r1(xl) + "," + r1(y) + "H" + r1(xh) + "M" + r1(xl) + "," + r1(y - 4) + "v8M" + r1(xh) + "," + r1(y - 4) + 'v8" stroke="#1a1a1a" stroke-width="1.6" fill="none"/>');
              end = Math.max(xm, xh);
            }
            out.push('<text x="' + r1(end + 5) + '" y="' + r1(y + fs * 0.35) + '" font-weight="bold">' + esc(WD.number(l.mean)) + "</text>");
          });
          out.push("</svg>");
          html.push('<div class="panel' + (m === state.metric ? " chosen" : "") + '" data-metric="' + esc(info.name) + '" title="Show ' + esc(info.label) + ' in the other views">' + out.join("") + "</div>");
        });
        document.getElementById("bars").innerHTML = html.join("");
        sub("bars-sub", K ? "At " + pointText() + "." : "", "Bars: means; whiskers: 95% intervals. Click a panel to pick its metric.");
      }

      // The heat map of the difference over two swept keys ----------------------------------------
      var heatCache = null;
      function mix(hex, t) {
        var n = parseInt(hex.slice(1), 16);
        var ch = [n >> 16 & 255, n >> 8 & 255, n & 255].map(function (v) { return Math.round(255 + (v - 255) * t); });
        return "rgb(" + ch.join(",") + ")";
      }
      var shades = [0.22, 0.45, 0.7, 1];
      function renderHeat(width) {
        var on = K > 1 && C > 1;
        show("heat-view", on);
        if (!on) return;
        var m = state.metric, info = metricInfo(m), xk = state.x, yk = state.y, c = state.vs;
        var fs = fontSize();
        var cacheKey = [m, xk, yk, c, width, fs, state.vi.filter(function (_, k) { return k !== xk && k !== yk; }).join(",")].join("|");
        var xo = orders[xk], yo = orders[yk];
        var nx = xo.length, ny = yo.length;
        var widestY = 0;
        yo.forEach(function (v) { widestY = Math.max(widestY, D.keys[yk].values[v].length); });
        var left = Math.max(fs * 4.2, fs * (2.4 + 0.62 * widestY)), top = fs * 0.6, bottom = fs * 3.4, right = fs * 0.6;
        var plotW = width - left - right;
        var cellW = plotW / nx;
        var cellH = Math.max(4, Math.min(fs * 2.6, cellW * 0.75, (state.present ? 560 : 340) / ny));
        var plotH = cellH * ny;
        var height = top + plotH + bottom;
        var geometry = { left: left, top: top, cellW: cellW, cellH: cellH, xo: xo, yo: yo, xk: xk, yk: yk };
        if (!heatCache || heatCache.key !== cacheKey) {
          var vi = state.vi.slice();
          var cells = [];
          var reach = 0;
          yo.forEach(function (yv, j) {
            xo.forEach(function (xv, i) {
              vi[xk] = xv;
              vi[yk] = yv;
              var p = pointOf(vi);
              var point = p < 0 ? null : paired(c, p, m);
              if (point && point.difference !== null) reach = Math.max(reach, Math.abs(point.difference));
              cells.push({ i: i, j: ny - 1 - j, point: point });
            });
          });
          var paths = {};
          var hatch = "";
          var blank = "";
          var hatched = 0;
          var labels = [];
          var labelled = nx * ny <= 144 && cellW >= fs * 3.4 && cellH >= fs * 1.3;
          cells.forEach(function (cell) {
            var x = r1(left + cell.i * cellW), y = r1(top + cell.j * cellH);
            var rect = "M" + x + "," + y + "h" + r1(cellW) + "v" + r1(cellH) + "h" + r1(-cellW) + "z";
            var point = cell.point;
            if (!point || point.difference === null) { blank += rect; return; }
            var d = point.difference;
            var cls = d === 0 || reach === 0 ? -1 : Math.min(3, Math.floor(Math.abs(d) / reach * 4 - 1e-9));
            var good = info.better === "lower" ? d < 0 : d > 0;
            var fill = cls < 0 ? "#F7F7F7" : mix(good ? "#0072B2" : "#D55E00", shades[cls]);
            paths[fill] = (paths[fill] || "") + rect;
            if (!point.isClear()) { hatch += rect; hatched += 1; }
            if (labelled) {
              labels.push('<text x="' + r1(left + (cell.i + 0.5) * cellW) + '" y="' + r1(top + (cell.j + 0.5) * cellH + fs * 0.35) + '" text-anchor="middle" fill="' + (cls >= 2 ? "#FFFFFF" : "#1a1a1a") + '"' + (point.isClear() ? ' font-weight="bold"' : "") + ">" + esc(PS.short(info, point)) + "</text>");
            }
          });
          var out = ['<svg width="' + r1(width) + '" height="' + r1(height) + '" font-size="' + fs + '" role="img" data-cells="' + cells.length + '" data-hatched="' + hatched + '" aria-label="' + esc("Difference in " + info.label) + '">'];
          out.push('<defs><pattern id="hatch" patternUnits="userSpaceOnUse" width="7" height="7" patternTransform="rotate(45)"><rect width="7" height="7" fill="#FFFFFF" fill-opacity="0.35"/><line x1="0" y1="0" x2="0" y2="7" stroke="#4D4D4D" stroke-width="1.6"/></pattern></defs>');
          Object.keys(paths).forEach(function (fill) { out.push('<path d="' + paths[fill] + '" fill="' + fill + '"/>'); });
          if (blank) out.push('<path d="' + blank + '" fill="#DDDDDD"/>');
          if (hatch) out.push('<path d="' + hatch + '" fill="url(#hatch)"/>');
          out.push('<rect x="' + r1(left) + '" y="' + r1(top) + '" width="' + r1(plotW) + '" height="' + r1(plotH) + '" fill="none" stroke="#888"/>');
          out = out.concat(labels);
          var xKey = D.keys[xk], yKey = D.keys[yk];
          var xEvery = Math.max(1, Math.ceil(fs * 2.8 / cellW));
          xo.forEach(function (v, i) {
            if (i % xEvery) return;
            out.push('<text x="' + r1(left + (i + 0.5) * cellW) + '" y="' + r1(top + plotH + fs * 1.3) + '" text-anchor="middle" fill="#333">' + esc(xKey.values[v]) + "</text>");
          });
          var yEvery = Math.max(1, Math.ceil(fs * 1.2 / cellH));
          yo.forEach(function (v, j) {
            if (j % yEvery) return;
            out.push('<text x="' + r1(left - 6) + '" y="' + r1(top + (ny - 1 - j + 0.5) * cellH + fs * 0.35) + '" text-anchor="end" fill="#333">' + esc(yKey.values[v]) + "</text>");
          });
          out.push('<text x="' + r1(left + plotW / 2) + '" y="' + r1(height - fs * 0.5) + '" text-anchor="middle">' + esc(xKey.axis) + "</text>");
          out.push('<text transform="translate(' + r1(fs * 1.1) + "," + r1(top + plotH / 2) + ') rotate(-90)" text-anchor="middle">' + esc(yKey.axis) + "</text>");
          out.push('<rect id="heat-selected" fill="none" stroke="#000" stroke-width="3"/>');
          out.push('<rect x="' + r1(left) + '" y="' + r1(top) + '" width="' + r1(plotW) + '" height="' + r1(plotH) + '" fill="transparent" style="cursor:pointer"/>');
          out.push("</svg>");
          document.getElementById("heat").innerHTML = out.join("");
          heatCache = { key: cacheKey, geometry: geometry };
          // Colour by sign: blue where the condition does better (higher where neither is).
          var lowColour = info.better === "lower" ? "#0072B2" : "#D55E00";
          var highColour = info.better === "lower" ? "#D55E00" : "#0072B2";
          var lowWord = info.better === "neither" ? "lower" : info.better === "lower" ? "lower: better" : "lower: worse";
          var highWord = info.better === "neither" ? "higher" : info.better === "lower" ? "higher: worse" : "higher: better";
          var legend = ["<span>" + esc(lowWord) + "</span><span>"];
          shades.slice().reverse().forEach(function (t) { legend.push('<span class="box" style="background:' + mix(lowColour, t) + '"></span>'); });
          legend.push('<span class="box" style="background:#F7F7F7"></span>');
          shades.forEach(function (t) { legend.push('<span class="box" style="background:' + mix(highColour, t) + '"></span>'); });
          legend.push("</span><span>" + esc(highWord) + "</span>");
          legend.push("<span>(darkest \u00B1" + esc(NF.label(reach)) + (info.unit ? " " + esc(info.unit) : "") + ')</span><span><svg width="18" height="12" aria-hidden="true"><rect width="18" height="12" fill="url(#hatch)" stroke="#999"/></svg> no clear difference</span>');
          document.getElementById("heat-legend").innerHTML = legend.join("");
        }
        var g = heatCache.geometry;
        var si = g.xo.indexOf(state.vi[xk]), sj = ny - 1 - g.yo.indexOf(state.vi[yk]);
        var sel = document.getElementById("heat-selected");
        sel.setAttribute("x", r1(g.left + si * g.cellW));
        sel.setAttribute("y", r1(g.top + sj * g.cellH));
        sel.setAttribute("width", r1(g.cellW));
        sel.setAttribute("height", r1(g.cellH));
        document.getElementById("heat-title").textContent = "Difference in " + WD.inSentence(info.label) + ", " + D.conditions[c] + " \u2212 " + D.conditions[baseline];
        var rest = K > 2 ? "At " + pointText([xk, yk]) + ". " : "";
        sub("heat-sub", rest.trim(), "Each cell: the paired difference at that point; the outlined cell is the selected point. Click a cell to select it.");
      }

      // The numbers at the selected point, as the report's tables write them ---------------------
      function renderTable(p) {
        var list = reportMetrics.slice();
        if (list.indexOf(state.metric) < 0) list.push(state.metric);
        var html = ['<table><thead><tr><th>Metric</th>'];
        for (var c = 0; c < C; c++) html.push('<th class="num">' + esc(conditionLabel(c)) + "</th>");
        others.forEach(function (c) { html.push('<th class="num">' + esc(D.conditions[c]) + " \u2212 " + esc(D.conditions[baseline]) + "</th>"); });
        html.push("</tr></thead><tbody>");
        list.forEach(function (m) {
          var info = metricInfo(m);
          html.push("<tr><td>" + esc(labelWithUnit(info)) + "</td>");
          for (var c = 0; c < C; c++) {
            var l = level(c, p, m);
            html.push('<td class="num" data-cell="level" data-condition="' + esc(D.conditions[c]) + '" data-metric="' + esc(info.name) + '">' + esc(WD.estimate(l.mean, l.low, l.high)) + "</td>");
          }
          others.forEach(function (c) {
            var point = paired(c, p, m);
            html.push('<td class="num" data-cell="difference" data-condition="' + esc(D.conditions[c]) + '" data-metric="' + esc(info.name) + '">' + esc(PS.cell(point)) + "</td>");
          });
          html.push("</tr>");
        });
        html.push("</tbody></table>");
        html.push('<p class="note">Each condition: the mean and its 95% interval (within the metric\'s range).' + (C > 1 ? ' Each difference: the mean paired difference \u00B1 the half-width of its 95% interval and, where the baseline\'s mean is clearly away from zero, the relative change.' : "") + "</p>");
        document.getElementById("numbers").innerHTML = html.join("");
      }

      // Controls -------------------------------------------------------------------------------
      function buildControls() {
        document.title = D.title + ": explorer";
        document.getElementById("title").innerHTML = esc(D.title) + ' <span class="kind">explorer</span>';
        document.getElementById("question").textContent = D.question || D.description || "";
        var select = document.getElementById("metric");
        var groups = [];
        var inReport = reportMetrics.slice();
        var rest = [];
        D.metrics.forEach(function (_, m) { if (inReport.indexOf(m) < 0) rest.push(m); });
        function option(m) {
          var info = metricInfo(m);
          var better = info.better === "higher" ? " \u2191" : info.better === "lower" ? " \u2193" : "";
          // The label and its direction only: a unit would be cut off in present mode's
          // narrow column, and the note below the picker and every chart title carry it.
          return '<option value="' + m + '" title="' + esc(labelWithUnit(info)) + '">' + esc(info.label + better) + "</option>";
        }
        if (inReport.length) groups.push('<optgroup label="In the report">' + inReport.map(option).join("") + "</optgroup>");
        if (rest.length) groups.push('<optgroup label="Other metrics">' + rest.map(option).join("") + "</optgroup>");
        select.innerHTML = groups.join("");
        select.addEventListener("change", function () { state.metric = Number(select.value); update(); });

        var sliders = document.getElementById("sliders");
        var html = [];
        D.keys.forEach(function (key, k) {
          var id = "key-" + k;
          var order = orders[k];
          html.push('<div class="slider">');
          html.push('<label class="control" for="' + id + '">' + esc(key.axis) + ': <span class="value" id="' + id + '-value"></span></label>');
          if (key.numbers || order.length <= 1) {
            html.push('<input type="range" id="' + id + '" min="0" max="' + Math.max(0, order.length - 1) + '" step="1"' + (order.length <= 1 ? " disabled" : "") + ' aria-valuetext="">');
            html.push('<div class="ends"><span>' + esc(key.values[order[0]]) + "</span><span>" + esc(key.values[order[order.length - 1]]) + "</span></div>");
          } else {
            html.push('<select id="' + id + '">' + order.map(function (i, j) { return '<option value="' + j + '">' + esc(key.values[i]) + "</option>"; }).join("") + "</select>");
          }
          html.push("</div>");
        });
        if (!K) html.push('<p class="note">Nothing was swept: every view shows the one result.</p>');
        sliders.innerHTML = html.join("");
        D.keys.forEach(function (key, k) {
          var input = document.getElementById("key-" + k);
          var handler = function () { state.vi[k] = orders[k][Number(input.value)]; update(); };
          input.addEventListener("input", handler);
          input.addEventListener("change", handler);
        });

        var toggles = document.getElementById("toggles");
        toggles.innerHTML = D.conditions.map(function (name, c) {
          return '<label class="toggle"><input type="checkbox" id="cond-' + c + '">' + sample(c) + "<span>" + esc(conditionLabel(c)) + "</span></label>";
        }).join("");
        D.conditions.forEach(function (_, c) {
          var box = document.getElementById("cond-" + c);
          box.addEventListener("change", function () {
            if (box.checked) delete state.hidden[c]; else state.hidden[c] = true;
            update();
          });
        });

        var options = [];
        function keySelect(id, label) {
          return '<label class="control" for="' + id + '">' + label + '</label><select id="' + id + '">' +
            D.keys.map(function (key, k) { return '<option value="' + k + '">' + esc(key.label) + "</option>"; }).join("") + "</select>";
        }
        if (K > 1) {
          options.push('<div class="slider">' + keySelect("x-key", "Along the x axis") + "</div>");
          if (C > 1) options.push('<div class="slider">' + keySelect("y-key", "Heat map rows") + "</div>");
        }
        if (others.length > 1) {
          options.push('<div class="slider"><label class="control" for="vs">Condition to compare</label><select id="vs">' +
            others.map(function (c) { return '<option value="' + c + '">' + esc(D.conditions[c]) + "</option>"; }).join("") + "</select></div>");
        }
        document.getElementById("view-options").innerHTML = options.join("");
        var xs = document.getElementById("x-key");
        if (xs) xs.addEventListener("change", function () {
          state.x = Number(xs.value);
          if (state.y === state.x) state.y = state.x === 0 ? 1 : 0;
          update();
        });
        var ys = document.getElementById("y-key");
        if (ys) ys.addEventListener("change", function () {
          var y = Number(ys.value);
          if (y === state.x) state.x = state.y;
          state.y = y;
          update();
        });
        var vs = document.getElementById("vs");
        if (vs) vs.addEventListener("change", function () { state.vs = Number(vs.value); update(); });

        document.getElementById("present").addEventListener("click", function () { state.present = !state.present; update(); });
        document.addEventListener("keydown", function (event) {
          var tag = event.target && event.target.tagName;
          // Not while typing, nor in a list (where a letter picks an entry).
          if (event.ctrlKey || event.metaKey || event.altKey || tag === "SELECT" || (tag === "INPUT" && event.target.type === "text")) return;
          if (event.key === "p" || event.key === "P") { state.present = !state.present; update(); }
        });
        document.getElementById("diff").addEventListener("click", function (event) {
          var row = event.target.getAttribute ? event.target.getAttribute("data-condition-index") : null;
          if (row === null) return;
          state.vs = Number(row);
          update();
        });
        document.getElementById("bars").addEventListener("click", function (event) {
          var panel = event.target.closest ? event.target.closest(".panel") : null;
          if (!panel) return;
          var m = metricIndex[panel.getAttribute("data-metric")];
          if (m !== undefined) { state.metric = m; update(); }
        });
        document.getElementById("line").addEventListener("click", function (event) {
          if (!lineGeometry) return;
          var box = event.currentTarget.getBoundingClientRect();
          var x = event.clientX - box.left;
          var best = 0;
          lineGeometry.xs.forEach(function (v, j) { if (Math.abs(v - x) < Math.abs(lineGeometry.xs[best] - x)) best = j; });
          state.vi[lineGeometry.xk] = lineGeometry.order[best];
          update();
        });
        document.getElementById("heat").addEventListener("click", function (event) {
          if (!heatCache) return;
          var g = heatCache.geometry;
          var box = event.currentTarget.getBoundingClientRect();
          var i = Math.floor((event.clientX - box.left - g.left) / g.cellW);
          var j = Math.floor((event.clientY - box.top - g.top) / g.cellH);
          if (i < 0 || j < 0 || i >= g.xo.length || j >= g.yo.length) return;
          state.vi[g.xk] = g.xo[i];
          state.vi[g.yk] = g.yo[g.yo.length - 1 - j];
          update();
        });
        window.addEventListener("hashchange", function () {
          if (location.hash.replace(/^#/, "") === written) return;
          readHash();
          update(true);
        });
        window.addEventListener("resize", function () { render(); });

        var notes = [D.intervalNote || ""];
        if (D.metrics.length < D.allMetrics) {
          notes.push("To keep this file small, it holds the report's " + WD.count(D.metrics.length, "metric") + " of the result's " + D.allMetrics + " (" + WD.count(P, "sweep point") + ").");
        }
        if (D.precision === 32) {
          notes.push("Its numbers are stored in single precision (7 significant digits), so a last digit may differ from report.html's.");
        }
        notes.push("Made by engine " + D.engineVersion + " from " + D.command.replace(/^ensemble /, "`ensemble ") + (D.command.indexOf("ensemble ") === 0 ? "`" : "") + ".");
        document.getElementById("notes").innerHTML = notes.filter(Boolean).map(function (t) {
          return esc(t).replace(/`([^`]+)`/g, "<code>$1</code>");
        }).join(" ");
      }

      function syncControls() {
        document.body.classList.toggle("present", state.present);
        var button = document.getElementById("present");
        button.setAttribute("aria-pressed", state.present ? "true" : "false");
        document.getElementById("metric").value = String(state.metric);
        var info = metricInfo(state.metric);
        var meaning = info.meaning ? WD.capitalised(info.meaning) + (info.unit ? ", in " + info.unit : "") : info.unit ? WD.capitalised(info.unit) : "";
        document.getElementById("metric-note").textContent = (meaning ? meaning + "; " : "") + betterText(info) + ".";
        D.keys.forEach(function (key, k) {
          var input = document.getElementById("key-" + k);
          var pos = orders[k].indexOf(state.vi[k]);
          if (Number(input.value) !== pos) input.value = String(pos);
          if (input.type === "range") input.setAttribute("aria-valuetext", key.values[state.vi[k]]);
          document.getElementById("key-" + k + "-value").textContent = key.values[state.vi[k]];
        });
        for (var c = 0; c < C; c++) document.getElementById("cond-" + c).checked = visible(c);
        var xs = document.getElementById("x-key");
        if (xs) xs.value = String(state.x);
        var ys = document.getElementById("y-key");
        if (ys) ys.value = String(state.y);
        var vs = document.getElementById("vs");
        if (vs) vs.value = String(state.vs);
      }

      // Everything drawn from the state; synchronous, so a slider move is done when it returns.
      function render() {
        syncControls();
        var p = pointOf(state.vi);
        var main = document.getElementById("explorer");
        // Widths first (one layout), then every write.
        var lineW = widthOf("line", 460), diffW = widthOf("diff", 460);
        var barsW = widthOf("bars", 460), heatW = widthOf("heat", 460);
        if (p < 0) {
          main.setAttribute("data-point", "");
          document.getElementById("numbers").innerHTML = '<p class="note">The result has no runs at this combination of values.</p>';
          renderLine(lineW);
          renderHeat(heatW);
          return;
        }
        main.setAttribute("data-point", String(p));
        main.setAttribute("data-metric", D.metrics[state.metric].name);
        main.setAttribute("data-state", hashOf());
        renderLine(lineW);
        renderDiff(p, diffW);
        renderBars(p, barsW);
        renderHeat(heatW);
        renderTable(p);
      }

      var presentWas = null;
      function update(fromHash) {
        render();
        // Present mode changes the widths: draw once more at the new ones.
        if (presentWas !== null && presentWas !== state.present) { heatCache = null; render(); }
        presentWas = state.present;
        if (!fromHash) writeHash(false);
      }

      buildControls();
      readHash();
      presentWas = state.present;
      render();
      if (state.present) render();
      writeHash(true);
      window.ensembleExplorer = { state: state, render: render, update: update, pointOf: pointOf };
    })();
    """#
}
