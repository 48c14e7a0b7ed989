import { lazy, Suspense, type ComponentProps } from 'react';

// The charts (and echarts with them) load only when a page draws one: page chunks are preloaded
// for everyone after sign-in, the charts chunk is not.
const charts = () => import('./Charts.tsx');
const Completion = lazy(() => charts().then((m) => ({ default: m.CompletionChart })));
const Indicator = lazy(() => charts().then((m) => ({ default: m.IndicatorChart })));
const HeatMap = lazy(() => charts().then((m) => ({ default: m.HeatMapChart })));

type Props<T extends keyof Charts> = ComponentProps<Charts[T]>;
type Charts = typeof import('./Charts.tsx');

function Placeholder({ height }: { height: number | '100%' }) {
  return <div style={{ height, width: '100%' }} />;
}

export function CompletionChart(props: Props<'CompletionChart'>) {
  return (
    <Suspense fallback={<Placeholder height={props.height} />}>
      <Completion {...props} />
    </Suspense>
  );
}

export function IndicatorChart(props: Props<'IndicatorChart'>) {
  return (
    <Suspense fallback={<Placeholder height={props.height} />}>
      <Indicator {...props} />
    </Suspense>
  );
}

export function HeatMapChart(props: Props<'HeatMapChart'>) {
  return (
    <Suspense fallback={<Placeholder height={props.height} />}>
      <HeatMap {...props} />
    </Suspense>
  );
}
