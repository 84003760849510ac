/**
 * Plain charts, no library: horizontal bars in CSS (labels stay readable in Chinese at any
 * length) and vertical columns in SVG (hours of the day, days of a range).
 */
export interface BarDatum {
  label: string;
  /** one value per series, drawn side by side */
  values: number[];
  /** what a value reads as (amounts, percentages) */
  format?: (v: number) => string;
}

/** `colors`: the colour index (ins-s0…s3) of each series: blue, green, red, amber */
export function Bars({
  data,
  series,
  colors,
  testId,
}: {
  data: BarDatum[];
  series: string[];
  colors?: number[];
  testId?: string;
}) {
  const c = (i: number) => `ins-s${colors?.[i] ?? i}`;
  const max = Math.max(1, ...data.flatMap((d) => d.values));
  return (
    <div className="ins-bars" data-testid={testId}>
      {series.length > 1 && (
        <div className="ins-legend">
          {series.map((s, i) => (
            <span key={s}>
              <i className={c(i)} /> {s}
            </span>
          ))}
        </div>
      )}
      {data.map((d) => (
        <div key={d.label} className="ins-bar-row">
          <div className="ins-bar-label" title={d.label}>
            {d.label}
          </div>
          <div className="ins-bar-tracks">
            {d.values.map((v, i) => (
              <div key={i} className="ins-bar-track">
                <div className={`ins-bar ${c(i)}`} style={{ width: `${(v / max) * 100}%` }} />
                <span className="ins-bar-value">{d.format ? d.format(v) : v}</span>
              </div>
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}

export function Columns({
  data,
  height = 140,
  testId,
}: {
  data: { label: string; value: number }[];
  height?: number;
  testId?: string;
}) {
  const max = Math.max(1, ...data.map((d) => d.value));
  const w = 100 / Math.max(1, data.length);
  const every = Math.ceil(data.length / 12);
  return (
    <svg
      className="ins-columns"
      viewBox={`0 0 100 ${height / 4 + 8}`}
      preserveAspectRatio="none"
      role="img"
      data-testid={testId}
    >
      {data.map((d, i) => {
        const h = (d.value / max) * (height / 4);
        return (
          <g key={d.label}>
            <rect x={i * w + w * 0.15} y={height / 4 - h} width={w * 0.7} height={h} className="ins-col">
              <title>{`${d.label}: ${d.value}`}</title>
            </rect>
            {i % every === 0 && (
              <text x={i * w + w / 2} y={height / 4 + 6} className="ins-col-label">
                {d.label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
