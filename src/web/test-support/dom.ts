/**
 * The web unit tests' browser: one jsdom per test file, registered before React loads (react-dom
 * decides at load time whether it has a DOM, so this module must be a test file's first import).
 * What jsdom lacks and antd calls is stubbed here, and only that:
 * - `matchMedia` (antd's responsive grid and Modal ask it): always "no match", i.e. the narrowest screen rules;
 * - `getComputedStyle(element, pseudo)`: jsdom has no pseudo-elements and logs "Not implemented" for
 *   antd's scrollbar measure; the element's own style is returned instead.
 * Stylesheets imported by components (`import './x.css'`) load as empty modules through a loader
 * hook registered here. The hook only reaches modules loaded after this one ran, so a test of a
 * component that imports CSS loads it with `await import(…)`.
 * - `ResizeObserver` (autosized text areas, ClampText): jsdom lays nothing out, so it never reports;
 * - `MessageChannel`: antd's forms schedule work with a new channel per change and never close it;
 *   a browser collects such ports, Node keeps the process alive for them. They are closed at the file's end.
 * tsx applies a tsconfig only to the files it includes, and the root one leaves out src/web: JSX
 * there compiles to the classic `React.createElement`, so React is made a global (vite builds the
 * app with the automatic runtime; the two render the same).
 * Every test ends with Testing Library's cleanup (node:test has no global afterEach for it to find).
 */
import globalJsdom from 'global-jsdom';
import { register } from 'node:module';
import { after, afterEach } from 'node:test';

globalJsdom('<!doctype html><html lang="zh-CN"><body></body></html>', { url: 'http://localhost/', pretendToBeVisual: true });

window.matchMedia = (query: string): MediaQueryList =>
  ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }) as MediaQueryList;

const computedStyle = window.getComputedStyle.bind(window);
window.getComputedStyle = (element: Element) => computedStyle(element);
globalThis.getComputedStyle = window.getComputedStyle;

globalThis.ResizeObserver = class {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
};

const channels: MessageChannel[] = [];
const NodeMessageChannel = globalThis.MessageChannel;
globalThis.MessageChannel = class extends NodeMessageChannel {
  constructor() {
    super();
    channels.push(this);
  }
};

register(
  'data:text/javascript,' +
    encodeURIComponent(
      "export async function load(url, context, next) { return url.endsWith('.css') ? { format: 'module', source: '', shortCircuit: true } : next(url, context); }",
    ),
);

Object.assign(globalThis, { React: await import('react') });
const { cleanup, configure } = await import('@testing-library/react');
afterEach(cleanup);
// findBy…/waitFor wait up to 5 s, not 1: the suite runs three files at once on two cores, and under
// that load a correct page took longer than a second to show a saved answer's outcome.
configure({ asyncUtilTimeout: 5000 });
// Open ports and jsdom's own timers keep the process: closed at the file's end. The globals stay, so a
// timer that fires late (a message's auto-close) meets a closed window, not "window is not defined".
after(() => {
  for (const channel of channels) {
    channel.port1.close();
    channel.port2.close();
  }
  window.close();
});
