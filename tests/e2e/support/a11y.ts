import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/**
 * Accessibility checks for the journeys: GB/T 37668-2019 holds government sites to what WCAG 2.1
 * AA asks, and axe-core finds the machine-checkable part of it (contrast, names, roles, labels).
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG 2.0/2.1 A and AA rules: what GB/T 37668-2019 asks of a web page. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface A11yViolation {
  id: string;
  impact: string;
  help: string;
  /** How many elements fail it, and the first few, as selector: what axe says is wrong. */
  count: number;
  nodes: string[];
}

/**
 * Runs axe-core in the page as it is now and returns the serious and critical violations. The
 * script is evaluated over the DevTools protocol, so the app's Content-Security-Policy (no inline
 * scripts) stays as it is in production.
 */
export async function seriousA11yViolations(page: Page, options: { allNodes?: boolean } = {}): Promise<A11yViolation[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  const found = (await page.evaluate(`window.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(TAGS)} }, resultTypes: ['violations'] })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 240)) })))`)) as {
    id: string;
    impact: string | null;
    help: string;
    nodes: string[];
  }[];
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact!, help: v.help, count: v.nodes.length, nodes: options.allNodes ? v.nodes : v.nodes.slice(0, 5) }));
}

/** Asserts the page as it is now has no serious or critical WCAG 2.1 AA violation; the message lists them. */
export async function assertAccessible(page: Page, where: string): Promise<void> {
  const violations = await seriousA11yViolations(page);
  assert.deepEqual(
    violations.map((v) => `${v.id} (${v.impact}) ×${v.count}`),
    [],
    `${where} (${page.url()}): ${violations.length} serious/critical accessibility violation(s)\n${violations
      .map((v) => `- ${v.id}: ${v.help}, ${v.count} element(s)\n    ${v.nodes.join('\n    ')}`)
      .join('\n')}`,
  );
}

/**
 * Presses Tab `presses` times from the top of the page and records what takes the focus: each
 * stop must be a visible element whose look changes when it has the focus (an outline, a shadow
 * or a border colour, on it or on the box antd draws around it), and the focus must move on
 * (no keyboard trap). Returns the stops' names in order, so a journey can check that the
 * page's controls are reached, and the problems found.
 */
export async function tabWalk(page: Page, presses: number): Promise<{ stops: string[]; problems: string[] }> {
  await page.evaluate('window.scrollTo(0, 0)');
  // Start from the top: the body takes the focus for a moment, so the first Tab goes to the first control.
  await page.evaluate(`(() => { document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute('tabindex'); })()`);
  // A focus ring that fades in would read as "no change" at the instant it is measured: transitions
  // off while walking (a constructed style sheet, which the page's CSP allows), back on after.
  await page.evaluate(
    `(() => { const sheet = new CSSStyleSheet(); sheet.replaceSync('*, *::before, *::after { transition: none !important; }'); window.__tabWalkSheet = sheet; document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; })()`,
  );
  const stops: string[] = [];
  const problems: string[] = [];
  let repeated = 0;
  let previous = '';
  for (let i = 0; i < presses; i += 1) {
    await page.keyboard.press('Tab');
    const stop = (await page.evaluate(`(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const rect = el.getBoundingClientRect();
      const name = (el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].innerText) || el.innerText || el.getAttribute('placeholder') || el.getAttribute('title') || el.tagName).trim().replace(/\\s+/g, ' ').slice(0, 40);
      // The look of the element and of the three boxes around it (antd draws an input's ring on its wrapper).
      const look = () => { const out = []; let node = el; for (let k = 0; k < 4 && node && node !== document.body; k += 1, node = node.parentElement) { const s = getComputedStyle(node); out.push([s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderTopColor, s.borderBottomColor].join(' ')); } return out.join(' / '); };
      const focused = look();
      el.blur();
      const unfocused = look();
      el.focus({ preventScroll: true });
      return { key: el.tagName + '|' + name + '|' + Math.round(rect.x) + ',' + Math.round(rect.y), name, visible: rect.width > 0 && rect.height > 0, indicated: focused !== unfocused, tag: el.tagName };
    })()`)) as { key: string; name: string; visible: boolean; indicated: boolean; tag: string } | null;
    if (!stop) {
      stops.push('(page)');
      continue;
    }
    stops.push(stop.name);
    if (!stop.visible) problems.push(`“${stop.name}” (${stop.tag}) takes the focus but is not visible`);
    else if (!stop.indicated) problems.push(`“${stop.name}” (${stop.tag}) shows no focus indicator`);
    repeated = stop.key === previous ? repeated + 1 : 0;
    if (repeated >= 2) problems.push(`the focus stays on “${stop.name}” (keyboard trap)`);
    previous = stop.key;
  }
  await page.evaluate(`document.adoptedStyleSheets = document.adoptedStyleSheets.filter((sheet) => sheet !== window.__tabWalkSheet)`);
  return { stops, problems: [...new Set(problems)] };
}
