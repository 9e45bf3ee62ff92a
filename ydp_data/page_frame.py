"""The page's own CSS and script, constants of ours (no data in them): drawn by every page (ydp_data.ui) and put in
the page's <head> by the server (ydp_data.serving), which must not import Streamlit's script-run machinery with ui."""

PAGE_CSS = """<style>
/* Korean breaks between words, never inside one ('높습니/다'); a word longer than its line still wraps
   (Streamlit's Markdown sets word-break itself, hence !important) */
html, [data-testid="stApp"] * { word-break: keep-all !important; overflow-wrap: break-word; }
.st-key-page_frame { display: none !important; }
/* A first load without layout shift (Lighthouse's CLS; tests/e2e/test_layout_shift.py). The server puts this CSS in the
   page's <head> too (ydp_data/serving.py), so it holds from the first paint, before Streamlit's own styles (hence
   !important). Streamlit draws the sidebar only once its first element arrives, which pushed the whole main area
   300 px to the right (CLS 0.22 on every page): on a wide screen the sidebar lies over the left of the main area,
   whose content keeps the sidebar's 300 px free (so the sidebar is not resizable), and the main area is wide from
   the start (set_page_config's layout="wide" arrives later too, and moved it again). */
[data-testid="stMainBlockContainer"] { max-width: none !important; }
@media screen and (min-width: 769px) {
  [data-testid="stMainBlockContainer"] { padding-left: 5rem !important; padding-right: 5rem !important; }
  [data-testid="stSidebar"] { position: fixed !important; top: 0 !important; bottom: 0 !important; left: 0 !important;
    z-index: 999991 !important; }
  [data-testid="stSidebar"][data-collapsed="false"] { width: 300px !important; min-width: 300px !important;
    max-width: 300px !important; }
  [data-testid="stSidebar"][data-collapsed="false"] ~ div [data-testid="stMainBlockContainer"] {
    padding-left: calc(300px + 5rem) !important; }
}
/* An element whose code is still loading is a 40 px placeholder: it gets the height of what comes (the sidebar's page
   links and filters; a page's card rows: below), so nothing below moves when it is drawn */
[data-testid="stSidebar"] [data-testid="stElementContainer"]:not([class*="st-key-"]) > [data-testid="stSkeleton"] {
  height: 32px !important; margin-bottom: -12px !important; }
[data-testid="stSidebar"] :is(.st-key-team, .st-key-report) > [data-testid="stSkeleton"] { height: 68px !important; }
[data-testid="stSidebar"] :is(.st-key-source, .st-key-unit, .st-key-lang) > [data-testid="stSkeleton"] {
  height: 60px !important; }
/* The briefing's findings, read from afar (pages/8_브리핑_Briefing.py) */
.st-key-briefing_findings [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; }
/* Headline cards, a row of them one element (ydp_data.cards.row_html); their colours meet WCAG AA on white (4.5:1); a
   long label wraps, never ends in '…'; on a phone the cards stand one under another */
.ydp-cards { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); }
.ydp-cards-1, .ydp-cards-2, .ydp-cards-3 { grid-template-columns: repeat(3, minmax(0, 1fr)); }
.ydp-cards-4 { grid-template-columns: repeat(4, minmax(0, 1fr)); }
.ydp-cards-5 { grid-template-columns: repeat(5, minmax(0, 1fr)); }
.ydp-cards-6 { grid-template-columns: repeat(6, minmax(0, 1fr)); }
.ydp-card { border: 1px solid rgba(17, 17, 17, 0.2); border-radius: 0.5rem; padding: 0.75rem 1rem; color: #111111;
  min-width: 0; container-type: inline-size; }
.ydp-card p { margin: 0; }
.ydp-card-label { font-size: 1rem; line-height: 1.4; }
/* a figure is never broken across lines ('7,113,94' over '7' misreads): on one line, smaller in a narrow card (cqi:
   1% of the card's width; 7,113,947 is about 4.3 em wide) */
.ydp-card-value { font-size: min(2.25rem, 20cqi); line-height: 1.3; font-variant-numeric: tabular-nums;
  white-space: nowrap !important; overflow-wrap: normal !important; }
.ydp-card-delta { font-size: 1rem; margin-top: 0.25rem !important; }
.ydp-card-green { color: #146c2e; }
.ydp-card-red { color: #b3261e; }
.ydp-card-gray, .ydp-card-since, .ydp-card-note, .ydp-card-help { color: #555555; }
.ydp-card-note, .ydp-card-help { font-size: 0.875rem; line-height: 1.5; }  /* one line: 21 px, as the rows' heights below count it */
.ydp-card-note { margin-top: 0.5rem !important; }
@media (max-width: 640px) {
  .ydp-cards { grid-template-columns: minmax(0, 1fr) !important; }
}
/* st.html draws its HTML only after its box is on the screen: until then a card row's box keeps the row's least
   height (ydp_data.ui.card_row gives it a key that says which), so that nothing under it moves down */
@media (min-width: 641px) {
  [class*="st-key-card_row_"] { min-height: calc(var(--ydp-row-px) + var(--ydp-help-px, 0px)); }
  [class*="st-key-card_row_plain_"] { --ydp-row-px: 95px; }
  [class*="st-key-card_row_changed_"] { --ydp-row-px: 123px; }
  [class*="st-key-card_row_noted_"] { --ydp-row-px: 124px; }
  [class*="st-key-card_row_full_"] { --ydp-row-px: 152px; }
  [class*="st-key-card_row_"][class*="_helped_"] { --ydp-help-px: 21px; }  /* a card's help: one more line */
}
/* a chart too tall for this window's full screen (FRAME_SCRIPT marks it) offers no full screen: it would be squeezed */
.js-plotly-plot.ydp-too-tall .modebar-btn[data-title="Fullscreen"] { display: none !important; }
@media print {
  /* Ctrl+P prints the content across the paper: no sidebar, header, toolbar or download buttons */
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stDownloadButton"] { display: none !important; }
  [data-testid="stMain"], [data-testid="stMainBlockContainer"] {
    width: 100% !important; max-width: none !important; margin: 0 !important; padding: 0 !important; }
  /* a chart drawn for the screen is scaled to the paper's width (FRAME_SCRIPT gives its SVG layers a viewBox while
     printing); no break-inside: avoid, with which Chromium left the pages after a pushed chart unprinted */
  html.ydp-print .js-plotly-plot .svg-container { width: 100% !important; height: auto !important; }
  html.ydp-print .js-plotly-plot .svg-container > svg.main-svg { width: 100% !important; height: auto !important; }
  html.ydp-print .js-plotly-plot .svg-container > svg.main-svg:first-of-type { position: relative !important; }
}
</style>"""
FRAME_SCRIPT = """<script>(() => {
  document.documentElement.lang = %s;
  if (window.ydpFrameHooks) return;
  window.ydpFrameHooks = true;
  // Streamlit draws a chart in full screen at the window's height less 58 px, whatever the chart's own height: a chart
  // taller than that is squeezed and its labels, placed for its height (charts.fit_margins), land on their neighbours.
  // Its full-screen button is hidden while the pointer brings up its modebar (the only way to the button) on a window
  // too short to keep 95%% of the chart's height; the page shows it whole.
  addEventListener("pointerover", (event) => {
    const plot = event.target instanceof Element && event.target.closest(".js-plotly-plot");
    const svg = plot && plot.querySelector("svg.main-svg");
    if (svg) plot.classList.toggle("ydp-too-tall", 0.95 * Number(svg.getAttribute("height")) + 58 > innerHeight);
  }, {capture: true, passive: true});
  // Printing, a chart drawn for the screen is scaled to the paper, never enlarged: its SVG layers get a viewBox of
  // their size, again whenever plotly draws the chart anew (it may, as the page is laid out for the paper)
  const fit = () => {
    for (const box of document.querySelectorAll(".js-plotly-plot .svg-container")) {
      box.style.maxWidth = box.style.width;
      for (const svg of box.querySelectorAll(":scope > svg.main-svg"))
        svg.setAttribute("viewBox", `0 0 ${svg.getAttribute("width")} ${svg.getAttribute("height")}`);
    }
  };
  const redrawn = new MutationObserver(fit);
  addEventListener("beforeprint", () => {
    fit();
    document.documentElement.classList.add("ydp-print");
    redrawn.observe(document.body, {subtree: true, attributes: true, attributeFilter: ["width", "height"]});
  });
  addEventListener("afterprint", () => {
    redrawn.disconnect();
    document.documentElement.classList.remove("ydp-print");
    for (const box of document.querySelectorAll(".js-plotly-plot .svg-container")) {
      box.style.maxWidth = "";
      for (const svg of box.querySelectorAll(":scope > svg.main-svg")) svg.removeAttribute("viewBox");
    }
  });
})();</script>"""
