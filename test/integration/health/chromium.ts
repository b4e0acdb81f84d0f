/**
 * Renders a page in Debian's headless chromium and reads back what the browser computed: a copy
 * of the page gets a script that measures the laid-out DOM and writes the figures into the
 * document, which `--dump-dom` returns. The page under test itself has no script.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface RenderedPage {
  /** Resources the page loaded besides itself (must be none: self-contained). */
  resources: string[];
  summary: string;
  cells: { host: string; status: string; background: string; width: number; height: number; top: number }[];
  problemsTop: number;
  gridTop: number;
  problemHosts: string[];
  priorities: Record<string, string>;
  rules: Record<string, string>;
  sparkBars: number;
}

const MEASURE = `<script>
(() => {
  const box = (el) => el.getBoundingClientRect();
  const out = {
    resources: performance.getEntriesByType('resource').map((e) => e.name),
    summary: document.getElementById('summary').textContent,
    cells: [...document.querySelectorAll('#grid .cell')].map((c) => ({
      host: c.dataset.host, status: c.classList[1], background: getComputedStyle(c).backgroundColor,
      width: box(c).width, height: box(c).height, top: box(c).top + scrollY })),
    problemsTop: box(document.getElementById('problems')).top,
    gridTop: box(document.getElementById('grid')).top,
    problemHosts: [...document.querySelectorAll('#problems li')].map((l) => l.dataset.host),
    priorities: Object.fromEntries([...document.querySelectorAll('#by-priority tr[data-priority]')].map((r) => [r.dataset.priority, r.cells[1].textContent])),
    rules: Object.fromEntries([...document.querySelectorAll('#by-rule tr[data-rule]')].map((r) => [r.dataset.rule, r.cells[1].textContent])),
    sparkBars: [...document.querySelectorAll('svg.spark rect')].filter((r) => box(r).height > 0).length,
  };
  const pre = document.createElement('pre');
  pre.id = 'measured';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>`;

export function renderInChromium(htmlFile: string): RenderedPage {
  const dir = mkdtempSync(join(tmpdir(), 'fd-health-chromium-'));
  try {
    const page = join(dir, 'page.html');
    writeFileSync(page, readFileSync(htmlFile, 'utf8').replace('</body>', `${MEASURE}</body>`));
    const r = spawnSync(
      'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--user-data-dir=${join(dir, 'profile')}`,
        '--window-size=1280,2000',
        '--dump-dom',
        `file://${page}`,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    const m = /<pre id="measured">([^<]*)<\/pre>/.exec(r.stdout ?? '');
    if (!m) throw new Error(`chromium rendered no measurements (exit ${r.status}): ${(r.stderr ?? '').slice(-2000)}`);
    return JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as RenderedPage;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
