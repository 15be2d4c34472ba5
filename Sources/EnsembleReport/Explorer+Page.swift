extension Explorer {
  /// The page's fixed markup: the controls and the views ``appScript`` fills.
  static let body = """
    <header>
    <div><h1 id="title">Explorer</h1><p id="question"></p></div>
    <button id="present" type="button" aria-pressed="false" title="Large type for a projector (key P)">Present</button>
    </header>
    <div class="layout">
    <aside id="controls" aria-label="What to show">
    <label class="control" for="metric">Metric</label>
    <select id="metric"></select>
    <p id="metric-note" class="note"></p>
    <div id="sliders"></div>
    <fieldset id="conditions"><legend>Conditions</legend><div id="toggles"></div></fieldset>
    <div id="view-options"></div>
    <p class="hint">Tab to a slider, then use the arrow keys. <kbd>P</kbd>: present mode. The address keeps this view: copy it to link a slide to it.</p>
    </aside>
    <main id="explorer" aria-live="polite">
    <section id="line-view" class="view"><h2 id="line-title"></h2><p id="line-sub" class="sub"></p><div id="line" class="chart"></div></section>
    <section id="diff-view" class="view"><h2 id="diff-title">Difference from the baseline</h2><p id="diff-sub" class="sub"></p><div id="diff"></div></section>
    <section id="bars-view" class="view"><h2>Every report metric at this point</h2><p id="bars-sub" class="sub"></p><div id="bars" class="panels"></div></section>
    <section id="heat-view" class="view"><h2 id="heat-title"></h2><p id="heat-sub" class="sub"></p><div id="heat" class="chart"></div><div id="heat-legend" class="legend"></div></section>
    <section id="table-view" class="view wide"><h2>The numbers at this point</h2><div id="numbers" class="table"></div></section>
    </main>
    </div>
    <footer><p id="notes"></p></footer>
    <noscript><p>This page draws its charts with JavaScript; turn it on to explore the result (report.html has the same numbers without it).</p></noscript>
    """

  /// The page's style: large, plain type; the report's colours; a present mode.
  static let style = """
    * { box-sizing: border-box; }
    body { margin: 0; font-family: Helvetica, Arial, sans-serif; color: #1a1a1a;
           background: #fff; font-size: 15px; line-height: 1.4; }
    header { display: flex; align-items: center; justify-content: space-between; gap: 1rem;
             padding: 8px 20px 6px; border-bottom: 2px solid #e3e3e3; }
    h1 { font-size: 1.45em; margin: 0; }
    h1 .kind { font-weight: normal; color: #555; }
    #question { margin: 1px 0 0; font-size: 1.05em; }
    #present { font: inherit; font-size: 0.95em; padding: 5px 14px; border: 2px solid #0072B2;
               border-radius: 5px; background: #fff; color: #0072B2; cursor: pointer; }
    #present[aria-pressed="true"] { background: #0072B2; color: #fff; }
    .layout { display: grid; grid-template-columns: 260px minmax(0, 1fr); gap: 16px;
              padding: 8px 20px 0; }
    aside { align-self: start; position: sticky; top: 0; max-height: 100vh; overflow-y: auto;
            padding: 4px 4px 8px 0; }
    .control { display: block; font-weight: bold; margin: 0 0 3px; }
    select { font: inherit; max-width: 100%; width: 100%; padding: 3px; margin-bottom: 6px; }
    .note { color: #444; font-size: 0.9em; margin: 4px 0 10px; }
    .slider { margin: 0 0 12px; }
    .slider .value { font-weight: bold; color: #0072B2; }
    .slider input { width: 100%; margin: 4px 0 0; accent-color: #0072B2; }
    .slider .ends { display: flex; justify-content: space-between; color: #555;
                    font-size: 0.85em; }
    input:focus-visible, select:focus-visible, button:focus-visible {
      outline: 3px solid #E69F00; outline-offset: 2px; }
    fieldset { border: 1px solid #ddd; border-radius: 5px; margin: 0 0 12px; padding: 4px 8px 6px; }
    legend { font-weight: bold; padding: 0 4px; }
    .toggle { display: flex; align-items: center; gap: 6px; margin: 3px 0; cursor: pointer; }
    .toggle svg { flex: none; }
    .hint { color: #555; font-size: 0.85em; }
    kbd { border: 1px solid #bbb; border-radius: 3px; padding: 0 4px; font-size: 0.9em; }
    main { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 10px 22px;
           align-items: start; }
    .view { min-width: 0; }
    .view[hidden] { display: none; }
    .wide { grid-column: 1 / -1; }
    h2 { font-size: 1.1em; margin: 4px 0 0; }
    .sub { color: #444; margin: 0 0 4px; font-size: 0.9em; }
    .chart svg, .panels svg { display: block; }
    .panels { display: flex; flex-wrap: wrap; gap: 4px 10px; }
    .panel { cursor: pointer; border: 2px solid transparent; border-radius: 5px; }
    .panel.chosen { border-color: #bbb; }
    .diff-card { border-left: 6px solid #999; padding: 2px 0 4px 10px; margin: 6px 0 10px; }
    .diff-head { font-weight: bold; }
    .diff-head .vs { font-weight: normal; color: #444; }
    .badge { display: inline-block; font-weight: normal; font-size: 0.85em; padding: 0 6px;
             border-radius: 9px; margin-left: 4px; color: #fff; background: #777; }
    .badge.better { background: #0072B2; }
    .badge.worse { background: #D55E00; }
    .diff-big { font-size: 2em; font-weight: bold; line-height: 1.15; }
    .diff-interval { color: #333; }
    .sentence { margin: 4px 0 0; max-width: 48em; }
    .legend { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 10px;
              font-size: 0.85em; color: #333; margin-top: 2px; }
    .legend .box { display: inline-block; width: 18px; height: 12px; vertical-align: middle;
                   border: 1px solid #999; }
    .table { overflow-x: auto; }
    table { border-collapse: collapse; margin: 4px 0 8px; font-size: 0.95em; }
    th, td { padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: left;
             white-space: nowrap; }
    th { background: #f3f3f3; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    footer { padding: 0 20px 14px; color: #444; font-size: 0.85em; }
    footer p { max-width: 80em; }
    code { font-size: 0.95em; }
    body.present { font-size: 22px; }
    body.present .layout { grid-template-columns: 280px minmax(0, 1fr); }
    body.present main { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); }
    body.present #bars-view, body.present #heat-view { grid-column: 1 / -1; }
    body.present select { font-size: 0.8em; }
    body.present .diff-big { font-size: 2.2em; }
    body.present .hint, body.present footer, body.present #metric-note,
    body.present .explain { display: none; }

    """
}
