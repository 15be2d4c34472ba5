extension Explorer {
  /// The explorer's words and numbers in JavaScript: ``NumberFormat``, ``Wording``,
  /// ``BoundedInterval``, ``PairedPoint`` and ``PointSentence`` written again, function for
  /// function and operation for operation, so that the page writes what the report writes.
  /// `ExplorerWordingTests` runs it on thousands of constructed inputs and compares every
  /// output with the Swift one. Change the two together.
  ///
  /// It defines one global, `EnsembleWords`, and touches nothing else (no DOM), so a test can
  /// run it in a page or under node.
  public static let wordingScript = #"""
    var EnsembleWords = (function () {
      "use strict";

      // Rounds half away from zero, as Swift's rounded().
      function roundAway(v) { return v < 0 ? -Math.round(-v) : Math.round(v); }
      function isFiniteNumber(x) { return typeof x === "number" && isFinite(x); }
      // 10^k as the nearest double, as glibc's pow(10, k) gives it.
      function tenTo(k) { return Number("1e" + k); }

      // NumberFormat ----------------------------------------------------------------------
      var NumberFormat = {};

      NumberFormat.label = function (x) {
        if (!isFinite(x)) return isNaN(x) ? "NaN" : (x > 0 ? "\u221E" : "-\u221E");
        if (x === 0) return "0";
        var magnitude = Math.abs(x);
        if (magnitude < 1e-4 || magnitude >= 1e15) return NumberFormat.scientific(x);
        var exponent = Math.floor(Math.log10(magnitude));
        if (!(exponent > 2)) return NumberFormat.fixed(x, 2 - exponent);
        var unit = tenTo(exponent - 2);
        return NumberFormat.fixed(roundAway(x / unit) * unit, 0);
      };

      NumberFormat.brief = function (x) {
        if (!isFinite(x)) return isNaN(x) ? "nan" : (x > 0 ? "inf" : "-inf");
        if (x === 0) return "0";
        var magnitude = Math.floor(Math.log10(Math.abs(x)));
        return NumberFormat.fixed(x, Math.max(0, 2 - magnitude), false);
      };

      NumberFormat.signed = function (x) {
        return x > 0 ? "+" + NumberFormat.brief(x) : NumberFormat.brief(x);
      };

      NumberFormat.percent = function (x) {
        var p = Math.abs(x * 100);
        var text = NumberFormat.fixed(p, p >= 9.95 ? 0 : 1, false, false);
        return (x < 0 && text !== "0.0" ? "-" : "") + text + "%";
      };

      NumberFormat.signedPercent = function (x) {
        var text = NumberFormat.percent(x);
        return x > 0 && text !== "0.0%" ? "+" + text : text;
      };

      NumberFormat.fixed = function (x, requested, grouping, trimmingZeros) {
        if (grouping === undefined) grouping = true;
        if (trimmingZeros === undefined) trimmingZeros = true;
        if (!isFinite(x)) return NumberFormat.label(x);
        var decimals = Math.min(Math.max(0, requested), 15);
        var power = 1;
        for (var i = 0; i < decimals; i++) power *= 10;
        var scaled = Math.round(Math.abs(x) * power);
        if (!(scaled < 9e15)) return NumberFormat.scientific(x);
        var units = scaled;
        var rest = units % power;
        var whole = (units - rest) / power;
        var fraction = decimals === 0 ? "" : String(rest);
        if (decimals > 0) {
          while (fraction.length < decimals) fraction = "0" + fraction;
          if (trimmingZeros) fraction = fraction.replace(/0+$/, "");
        }
        if (units === 0 && trimmingZeros) return "0";
        var digits = String(whole);
        var grouped = "";
        for (var k = 0; k < digits.length; k++) {
          if (grouping && k > 0 && (digits.length - k) % 3 === 0) grouped += ",";
          grouped += digits.charAt(k);
        }
        var sign = x < 0 && units !== 0 ? "-" : "";
        return sign + grouped + (fraction === "" ? "" : "." + fraction);
      };

      NumberFormat.scientific = function (x) {
        var exponent = Math.floor(Math.log10(Math.abs(x)));
        var mantissa = x / tenTo(exponent);
        if (Math.abs(roundAway(mantissa * 100)) >= 1000) {
          exponent += 1;
          mantissa /= 10;
        }
        return NumberFormat.fixed(mantissa, 2) + "e" + String(exponent);
      };

      // Wording ---------------------------------------------------------------------------
      var Wording = {};

      Wording.number = NumberFormat.brief;
      Wording.signed = NumberFormat.signed;
      Wording.percent = NumberFormat.percent;
      Wording.signedPercent = NumberFormat.signedPercent;

      Wording.log10Floor = function (x) {
        var exponent = 0;
        var scaled = x;
        while (scaled >= 10) { scaled /= 10; exponent += 1; }
        while (scaled < 1) { scaled *= 10; exponent -= 1; }
        return exponent;
      };

      Wording.decimals = function (values) {
        var largest = 0;
        var any = false;
        for (var i = 0; i < values.length; i++) {
          if (!isFinite(values[i])) continue;
          var a = Math.abs(values[i]);
          if (!any || a > largest) largest = a;
          any = true;
        }
        if (!(largest > 0)) return 0;
        return Math.min(10, Math.max(0, 2 - Wording.log10Floor(largest)));
      };

      Wording.fixed = function (x, decimals, signed) {
        var text = NumberFormat.fixed(x, decimals, false, false);
        return signed && x > 0 && /[^0.]/.test(text) ? "+" + text : text;
      };

      Wording.estimate = function (mean, low, high) {
        if (mean === null) return "\u2013";
        if (low === null || high === null) return Wording.number(mean);
        var d = Wording.decimals([mean, low, high]);
        return Wording.fixed(mean, d) + " [" + Wording.fixed(low, d) + ", " + Wording.fixed(high, d) + "]";
      };

      Wording.difference = function (diff, low, high) {
        if (diff === null) return "\u2013";
        if (low === null || high === null) return Wording.signed(diff);
        var d = Wording.decimals([diff, low, high]);
        return Wording.fixed(diff, d, true) + " \u00B1 " + Wording.fixed((high - low) / 2, d);
      };

      Wording.countedUnits = {
        "hours": ["hour", "hours"], "tasks": ["task", "tasks"],
        "cost units": ["cost unit", "cost units"]
      };

      Wording.isCounted = function (unit) {
        return Object.prototype.hasOwnProperty.call(Wording.countedUnits, unit);
      };

      Wording.quantity = function (x, unit, signed) {
        var text = signed ? Wording.signed(x) : Wording.number(x);
        if (!Wording.isCounted(unit)) return text;
        var words = Wording.countedUnits[unit];
        return text + " " + (text === "1" || text === "+1" || text === "-1" ? words[0] : words[1]);
      };

      Wording.count = function (n, singular, plural) {
        return String(n) + " " + (n === 1 ? singular : (plural === undefined ? singular + "s" : plural));
      };

      Wording.list = function (items) {
        if (items.length === 0) return "";
        if (items.length === 1) return items[0];
        return items.slice(0, -1).join(", ") + " and " + items[items.length - 1];
      };

      function isUpper(c) { return c !== c.toLowerCase() && c === c.toUpperCase(); }

      Wording.inSentence = function (label) {
        var characters = Array.from(label);
        if (characters.length <= 1 || !isUpper(characters[0]) || isUpper(characters[1])) return label;
        return characters[0].toLowerCase() + characters.slice(1).join("");
      };

      Wording.capitalised = function (text) {
        var characters = Array.from(text);
        if (characters.length === 0) return "";
        return characters[0].toUpperCase() + characters.slice(1).join("");
      };

      // BoundedInterval -------------------------------------------------------------------
      var BoundedInterval = {};

      // upper: Infinity for a range open above. Returns [low, high].
      BoundedInterval.interval = function (mean, halfWidth, n, lower, upper) {
        if (!isFinite(mean) || !isFinite(halfWidth)) return [mean, mean];
        if (halfWidth <= 0) {
          var reach = 3 / Math.max(1, n);
          if (mean === lower) return [lower, Math.min(upper, lower + reach)];
          if (mean === upper) return [Math.max(lower, upper - reach), upper];
          return [mean, mean];
        }
        if (mean <= lower || (isFinite(upper) && mean >= upper)) {
          return [
            Math.max(lower, mean - halfWidth),
            isFinite(upper) ? Math.min(upper, mean + halfWidth) : mean + halfWidth
          ];
        }
        if (isFinite(upper)) {
          var width = upper - lower;
          var p = (mean - lower) / width;
          var centre = Math.log(p / (1 - p));
          var spread = halfWidth / width / (p * (1 - p));
          var back = function (z) { return lower + width / (1 + Math.exp(-z)); };
          return [back(centre - spread), back(centre + spread)];
        }
        var excess = mean - lower;
        var c = Math.log(excess);
        var s = halfWidth / excess;
        return [lower + Math.exp(c - s), lower + Math.exp(c + s)];
      };

      // The interval of a summary (mean, ciLow, ciHigh, n; null where missing), or null.
      BoundedInterval.ofSummary = function (mean, ciLow, ciHigh, n, lower, upper) {
        if (mean === null || ciLow === null || ciHigh === null) return null;
        return BoundedInterval.interval(mean, (ciHigh - ciLow) / 2, n, lower, upper);
      };

      // PairedPoint -----------------------------------------------------------------------
      // Fields as in Swift; null for nil.
      function PairedPoint(n, baselineMean, baselineLow, baselineHigh, difference, low, high) {
        this.n = n;
        this.baselineMean = baselineMean;
        this.baselineLow = baselineLow;
        this.baselineHigh = baselineHigh;
        this.difference = difference;
        this.low = low;
        this.high = high;
      }

      PairedPoint.prototype.direction = function () {
        if (this.low !== null && this.low > 0) return 1;
        if (this.high !== null && this.high < 0) return -1;
        return 0;
      };

      PairedPoint.prototype.isClear = function () { return this.direction() !== 0; };

      PairedPoint.prototype.baselineAwayFromZero = function () {
        var mean = this.baselineMean, low = this.baselineLow, high = this.baselineHigh;
        if (mean === null || mean === 0 || low === null || high === null) return false;
        return low > 0 || high < 0;
      };

      PairedPoint.prototype.relative = function () {
        if (!this.baselineAwayFromZero() || this.difference === null) return null;
        return this.difference / this.baselineMean;
      };

      PairedPoint.prototype.relativeInterval = function () {
        if (!this.baselineAwayFromZero() || this.low === null || this.high === null) return null;
        var a = this.low / this.baselineMean;
        var b = this.high / this.baselineMean;
        return [Math.min(a, b), Math.max(a, b)];
      };

      // PointSentence ---------------------------------------------------------------------
      // `metric`: {label, unit, rise, fall, verb} as in Metrics.table.
      var PointSentence = {};

      PointSentence.change = function (metric, point) {
        var what = Wording.inSentence(metric.label);
        var diff = point.difference;
        if (diff === null) return { text: "no value for " + what, clear: false };
        if (!point.isClear()) return { text: "no clear difference in " + what, clear: false };
        var words = diff > 0 ? metric.rise : metric.fall;
        var rel = point.relative();
        if (rel !== null && diff !== 0) {
          return { text: Wording.percent(Math.abs(rel)) + " " + words, clear: true };
        }
        if (Wording.isCounted(metric.unit)) {
          return { text: Wording.quantity(Math.abs(diff), metric.unit) + " " + words, clear: true };
        }
        return { text: words + " (" + Wording.signed(diff) + ")", clear: true };
      };

      PointSentence.short = function (metric, point) {
        if (point.difference === null) return "\u2013";
        var rel = point.relative();
        if (rel !== null) return Wording.signedPercent(rel);
        return Wording.quantity(point.difference, metric.unit, true);
      };

      PointSentence.interval = function (metric, point) {
        var rel = point.relativeInterval();
        if (rel !== null) {
          return "95% CI " + Wording.signedPercent(rel[0]) + " to " + Wording.signedPercent(rel[1]);
        }
        if (point.low === null || point.high === null) return "";
        var unit = Wording.isCounted(metric.unit) ? " " + metric.unit : "";
        return "95% CI " + Wording.signed(point.low) + " to " + Wording.signed(point.high) + unit;
      };

      PointSentence.withInterval = function (metric, point) {
        var interval = PointSentence.interval(metric, point);
        return PointSentence.short(metric, point) + (interval === "" ? "" : " (" + interval + ")");
      };

      PointSentence.withIntervalInline = function (metric, point) {
        var interval = PointSentence.interval(metric, point);
        return PointSentence.short(metric, point) + (interval === "" ? "" : ", " + interval);
      };

      PointSentence.cell = function (point) {
        var text = Wording.difference(point.difference, point.low, point.high);
        var rel = point.relative();
        if (point.difference !== null && rel !== null) text += " (" + Wording.signedPercent(rel) + ")";
        return text;
      };

      PointSentence.comparison = function (metric, condition, baseline, point) {
        var phrase = PointSentence.change(metric, point);
        var inside = [];
        var interval = PointSentence.interval(metric, point);
        if (interval !== "") inside.push(interval);
        inside.push(Wording.count(point.n, "paired replication"));
        var note = " (" + inside.join(", ") + ")";
        return phrase.clear
          ? "**" + condition + "** " + metric.verb + " " + phrase.text + " than **" + baseline + "**" + note
          : "**" + condition + "** showed " + phrase.text + " from **" + baseline + "**" + note;
      };

      // metrics: [[metric, point], ...]
      PointSentence.headline = function (metrics, condition, baseline) {
        if (metrics.length === 0) return "";
        var lead = PointSentence.comparison(metrics[0][0], condition, baseline, metrics[0][1]);
        var rest = metrics.slice(1).map(function (m) { return PointSentence.change(m[0], m[1]).text; });
        return lead + (rest.length === 0 ? "." : ", with " + Wording.list(rest) + ".");
      };

      return {
        NumberFormat: NumberFormat, Wording: Wording, BoundedInterval: BoundedInterval,
        PairedPoint: PairedPoint, PointSentence: PointSentence, isFiniteNumber: isFiniteNumber
      };
    })();
    """#
}
