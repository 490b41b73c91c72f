// Time charts in plain SVG: lines and bars over a shared time axis, a y axis from zero with four
// gridlines. Redrawn whole on every update (a few hundred points at most).

const NS = 'http://www.w3.org/2000/svg';
const WIDTH = 600;
const HEIGHT = 220;
const LEFT = 70;
const RIGHT = 10;
const TOP = 10;
const BOTTOM = 24;

function node(name, attrs, text) {
  const n = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
  if (text !== undefined) n.textContent = text;
  return n;
}

/** The smallest 1, 2 or 5 times a power of ten (of {@code unit}) that is at least {@code v}. */
function niceCeil(v, unit) {
  if (v <= 0) return unit;
  const m = v / unit;
  const p = Math.pow(10, Math.floor(Math.log10(m)));
  for (const s of [1, 2, 2.5, 5, 10]) {
    if (s * p >= m) return s * p * unit;
  }
  return 10 * p * unit;
}

const clock = t => new Date(t).toTimeString().slice(0, 8);

/**
 * Draws {@code series} ({name, color, kind: 'line' | 'bar', values}) against {@code times} (epoch ms)
 * into {@code svg}, with a legend in {@code legend}; {@code format} labels the y axis, {@code unit}
 * (1024 for bytes) picks round gridlines, and the axis reaches at least {@code least}.
 */
export function drawChart(svg, legend, times, series, format, unit = 1, least = 1) {
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.replaceChildren();
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const max = Math.max(least, ...series.flatMap(s => s.values));
  const scale = unit > 1 && max > 0 ? Math.pow(unit, Math.floor(Math.log(max) / Math.log(unit))) : 1;
  const top = niceCeil(max, scale);
  const y = v => TOP + plotH - (v / top) * plotH;
  for (let i = 0; i <= 4; i++) {
    const v = (top * i) / 4;
    svg.append(node('line', { x1: LEFT, x2: WIDTH - RIGHT, y1: y(v), y2: y(v), class: 'grid' }));
    svg.append(node('text', { x: LEFT - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, format(v)));
  }
  if (times.length === 0) {
    svg.append(node('text', { x: LEFT + plotW / 2, y: TOP + plotH / 2, 'text-anchor': 'middle', class: 'axis' },
      'waiting for the first samples'));
  } else {
    const t0 = times[0];
    const span = Math.max(1, times[times.length - 1] - t0);
    const x = t => (times.length === 1 ? LEFT + plotW / 2 : LEFT + ((t - t0) / span) * plotW);
    const barW = Math.max(1, (plotW / times.length) * 0.7);
    for (const s of series) {
      if (s.kind === 'bar') {
        const g = node('g', { fill: s.color, 'data-series': s.name });
        s.values.forEach((v, i) => {
          if (v > 0) {
            g.append(node('rect', { x: x(times[i]) - barW / 2, y: y(v), width: barW, height: TOP + plotH - y(v) }));
          }
        });
        svg.append(g);
      } else {
        const points = s.values.map((v, i) => `${x(times[i]).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
        svg.append(node('polyline', { points, fill: 'none', stroke: s.color, 'stroke-width': 2,
          'stroke-linejoin': 'round', 'data-series': s.name, 'data-last': s.values[s.values.length - 1] }));
      }
    }
    svg.append(node('text', { x: LEFT, y: HEIGHT - 6, class: 'axis' }, clock(t0)));
    svg.append(node('text', { x: WIDTH - RIGHT, y: HEIGHT - 6, 'text-anchor': 'end', class: 'axis' },
      clock(times[times.length - 1])));
  }
  svg.append(node('line', { x1: LEFT, x2: LEFT, y1: TOP, y2: TOP + plotH, class: 'axis-line' }));
  svg.append(node('line', { x1: LEFT, x2: WIDTH - RIGHT, y1: TOP + plotH, y2: TOP + plotH, class: 'axis-line' }));
  legend.replaceChildren(...series.map(s => {
    const item = document.createElement('span');
    const swatch = document.createElement('i');
    swatch.className = 'swatch';
    swatch.style.background = s.color;
    const last = s.values.length ? format(s.values[s.values.length - 1]) : '–';
    item.append(swatch, `${s.name} `, Object.assign(document.createElement('b'), { textContent: last }));
    return item;
  }));
}
