// Textures drawn over each map state's Okabe-Ito colour (MapState.color() on the server), so
// that no state is told apart by colour alone. One shared <defs> serves the map and the legend.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Texture per state name: SVG markup inside a 6x6 tile, or null for a plain fill. */
const TEXTURES = {
  hole: '<circle cx="3" cy="3" r="0.7" fill="#9a9a9a"/>',
  reserved: '<path d="M0,0 L6,6 M-1,5 L1,7 M5,-1 L7,1" stroke="#ffffff" stroke-width="1.1" opacity="0.7"/>',
  kernel: '<path d="M0,3 H6 M3,0 V6" stroke="#ffffff" stroke-width="0.9" opacity="0.55"/>',
  unaccepted: '<path d="M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5" stroke="#000000" stroke-width="1.2" opacity="0.3"/>',
  parked: '<circle cx="3" cy="3" r="1.1" fill="#000000" opacity="0.4"/>',
  free: null,
  unmovable: '<path d="M0,3 H6" stroke="#ffffff" stroke-width="1.3" opacity="0.6"/>',
  movable: '<path d="M3,0 V6" stroke="#ffffff" stroke-width="1.1" opacity="0.45"/>',
  reclaimable: '<path d="M0,0 L6,6 M6,0 L0,6" stroke="#ffffff" stroke-width="0.9" opacity="0.6"/>',
};

/** Returns the fill reference of a state's texture, or null if it has none. */
export function textureFill(state) {
  return TEXTURES[state] ? 'url(#tex-' + state + ')' : null;
}

/** Adds the shared texture definitions to the document once. */
export function installTextures() {
  if (document.getElementById('cvmsim-textures')) {
    return;
  }
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('id', 'cvmsim-textures');
  svg.setAttribute('class', 'defs-only');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('width', '0');
  svg.setAttribute('height', '0');
  let defs = '';
  for (const [state, markup] of Object.entries(TEXTURES)) {
    if (markup) {
      defs += '<pattern id="tex-' + state + '" width="6" height="6" patternUnits="userSpaceOnUse">'
        + markup + '</pattern>';
    }
  }
  // The markup above is constant (no user data), so building it as text is safe.
  svg.innerHTML = '<defs>' + defs + '</defs>';
  document.body.prepend(svg);
}

/** Returns a legend swatch: the state's colour with its texture. */
export function swatch(state, color, width = 30, height = 16) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'swatch');
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const base = document.createElementNS(SVG_NS, 'rect');
  base.setAttribute('width', width);
  base.setAttribute('height', height);
  base.setAttribute('fill', color);
  base.setAttribute('stroke', '#333333');
  base.setAttribute('stroke-width', '1');
  svg.append(base);
  const tex = textureFill(state);
  if (tex) {
    const over = document.createElementNS(SVG_NS, 'rect');
    over.setAttribute('width', width);
    over.setAttribute('height', height);
    over.setAttribute('fill', tex);
    svg.append(over);
  }
  return svg;
}
