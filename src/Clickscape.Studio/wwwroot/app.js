// Clickscape Studio front end: scene list, point viewer (three.js, level of detail, ceiling cut-away), click-per-object,
// refine and review modes, background jobs (train / pseudo-label on the clicked scans).
// Talks to the JSON + binary API under /api/ (see StudioApi.cs); every change carries the scene version.
import * as THREE from 'three';
import { OrbitControls } from 'three/addons/OrbitControls.js';

const token = new URLSearchParams(location.search).get('token');
const $ = (id) => document.getElementById(id);

// ---------- API ----------
class ApiError extends Error {
  constructor(status, message, version) { super(message); this.status = status; this.version = version; }
}
async function api(path, { method = 'GET', body, binary = false } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, `the server did not answer (${e.message}); your work up to the last saved change is kept`);
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`, version;
    try { const j = await response.json(); message = j.error ?? message; version = j.version; } catch { /* not JSON */ }
    throw new ApiError(response.status, message, version);
  }
  return binary ? response.arrayBuffer() : response.json();
}
function showError(message) {
  const box = $('error');
  box.textContent = message;
  box.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => { box.hidden = true; }, 8000);
}
$('error').addEventListener('click', () => { $('error').hidden = true; });
function setStatus(text) { $('status').textContent = text; }

// ---------- state ----------
const state = {
  classes: [], classIndex: 0, lastClassId: null,
  scene: null,      // {id, points, segments, bounds, ...}
  positions: null, rgb: null, segments: null, segmentColors: null,
  labels: null, gtLabels: null,
  annotations: null, version: 0,
  mode: 'click', colorBy: 'rgb', hoverSegment: -1,
  selected: null,   // object id in refine mode
  refine: null,     // last refine answer
  mask: null,       // Uint8Array 0/1 per point
  openedAt: 0, lastObjectAt: 0, unsentSeconds: 0, busy: false,
  full: false,      // false while only the level-0 preview of a large scan is drawn
  info: {},         // GET /api/info
  sources: [],      // review prediction sets
  predLabels: null, // {semantic, instance} of the review set
  review: { source: null, list: [], index: 0, mask: null },
  job: null,        // the last job seen
};
window.studio = { ready: false, state, timings: {} };

// ---------- viewer ----------
const renderer = new THREE.WebGLRenderer({ antialias: false, preserveDrawingBuffer: true });
renderer.setPixelRatio(window.devicePixelRatio);
renderer.localClippingEnabled = true;
$('view').appendChild(renderer.domElement);
const scene3 = new THREE.Scene();
scene3.background = new THREE.Color(0x15171a);
const camera = new THREE.PerspectiveCamera(55, 1, 0.01, 500);
camera.up.set(0, 0, 1);
const controls = new OrbitControls(camera, renderer.domElement);
controls.enableDamping = false;
// The points: one GL_POINTS draw with the least per-point work, since in SwiftShader (headless Chromium's software
// WebGL, and any machine without a GPU) the draw time is per point. In: the position (float32 × 3) and the colour
// (RGBA8, normalized; a 4-byte stride ANGLE takes as it is, where 3-byte colours made it convert the whole buffer on
// every update). A point size in pixels; no colour-space conversion (the bytes are the colours shown: the scan's RGB,
// the palette's); the ceiling cut-away as a height test per point (a cut point is put outside the clip volume), which
// is what a clipping plane did to every fragment of a point, all of which share the point's height.
const NO_CUT = 3.0e38;
const material = new THREE.RawShaderMaterial({
  uniforms: { size: { value: 4 }, cut: { value: NO_CUT } },
  vertexShader: `precision highp float;
uniform mat4 modelViewMatrix, projectionMatrix;
uniform float size, cut;
attribute vec3 position;
attribute vec4 color;
varying vec3 vColor;
void main() {
  vColor = color.rgb;
  gl_PointSize = size;
  gl_Position = position.z > cut ? vec4(0.0, 0.0, 2.0, 1.0) : projectionMatrix * (modelViewMatrix * vec4(position, 1.0));
}`,
  fragmentShader: `precision highp float;
varying vec3 vColor;
void main() { gl_FragColor = vec4(vColor, 1.0); }`,
});
let cloud = null, colorAttribute = null, fullUploadPending = false, pointSize = 4;
// The point size in CSS pixels (the shader's is in device pixels).
function setPointSize(px) {
  pointSize = px;
  material.uniforms.size.value = px * renderer.getPixelRatio();
  render();
}
material.uniforms.size.value = pointSize * renderer.getPixelRatio();
const markers = new THREE.Group();
scene3.add(markers);
const raycaster = new THREE.Raycaster();
// What a partial frame draws over the last one: the cloud's points of some ranges (groups of a geometry sharing the
// cloud's attributes) and markers added since; no background, so nothing is cleared.
const overlay = new THREE.Scene();
let overlayCloud = null;

function resize() {
  const w = $('view').clientWidth, h = $('view').clientHeight;
  renderer.setSize(w, h);
  camera.aspect = w / Math.max(1, h);
  camera.updateProjectionMatrix();
  render();
}
window.addEventListener('resize', resize);
// Frames are drawn at the next animation frame, once however many changes asked for one (a 3M-point draw is not
// free). render() asks for a whole frame. When all that changed since the last frame is the colour of some points (a
// refine answer's diff: renderRanges) and markers added, only those points and markers are drawn over the last frame:
// its depth buffer (kept, preserveDrawingBuffer) lets each point show exactly where it showed before, as the same
// shader on the same vertex gives the same depth, which passes three.js's less-or-equal depth test.
let frame = 0, wholeFrame = true;
const pendingRanges = []; // [start, end) of the points to draw again
function render() {
  wholeFrame = true;
  if (!frame) frame = requestAnimationFrame(draw);
}
function renderRanges(ranges) {
  if (!wholeFrame) pendingRanges.push(...ranges);
  if (!frame) frame = requestAnimationFrame(draw);
}
function draw() {
  frame = 0;
  if (wholeFrame || !overlayCloud) {
    renderer.render(scene3, camera);
    window.studio.lastFrame = 'whole'; // for the tests and the benchmark
    window.studio.lastDrawn = cloud ? cloud.geometry.getAttribute('position').count : 0;
  } else if (pendingRanges.length > 0 || overlay.children.length > 1) {
    const geometry = overlayCloud.geometry;
    geometry.clearGroups();
    for (const [start, end] of pendingRanges) geometry.addGroup(start, end - start, 0);
    renderer.autoClear = false;
    renderer.render(overlay, camera);
    renderer.autoClear = true;
    window.studio.lastFrame = 'partial';
    window.studio.lastDrawn = pendingRanges.reduce((sum, [start, end]) => sum + end - start, 0);
  }
  wholeFrame = false;
  pendingRanges.length = 0;
  for (const m of overlay.children.filter((o) => o !== overlayCloud)) overlay.remove(m);
}
// Draws now and waits until the GPU has finished (reading one pixel back forces it): what the timings measure.
function drawNow() {
  if (frame) cancelAnimationFrame(frame);
  draw();
  const gl = renderer.getContext();
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
  return performance.now();
}
// The canvas as drawn (RGBA, bottom row first), a whole frame drawn at once, and the colour buffer: for the tests.
window.studio.canvasPixels = () => {
  const gl = renderer.getContext(), w = gl.drawingBufferWidth, h = gl.drawingBufferHeight, pixels = new Uint8Array(4 * w * h);
  gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
  return pixels;
};
window.studio.drawWhole = () => { render(); drawNow(); };
window.studio.pointColors = () => colorAttribute.array;

// ---------- ceiling cut-away ----------
const cutPlane = new THREE.Plane(new THREE.Vector3(0, 0, -1), 0);
function cutHeight() {
  if (!state.scene) return Infinity;
  const b = state.scene.bounds, v = Number($('cut').value);
  return v >= 100 ? Infinity : b[2] + (b[5] - b[2]) * v / 100;
}
function applyCut() {
  const z = cutHeight();
  cutPlane.constant = z;
  material.uniforms.cut.value = Number.isFinite(z) ? z : NO_CUT;
  const clipping = Number.isFinite(z) ? [cutPlane] : [];
  if (clipping.length !== markerClipping.length) {
    markerClipping = clipping;
    for (const m of markerMaterials.values()) { m.clippingPlanes = clipping; m.needsUpdate = true; }
  }
  $('cut-value').textContent = Number.isFinite(z) ? `${z.toFixed(2)} m` : '—';
  render();
}
controls.addEventListener('change', render);

function pick(event) {
  if (!cloud) return -1;
  const rect = renderer.domElement.getBoundingClientRect();
  const ndc = new THREE.Vector2(((event.clientX - rect.left) / rect.width) * 2 - 1, -((event.clientY - rect.top) / rect.height) * 2 + 1);
  raycaster.setFromCamera(ndc, camera);
  const b = state.scene.bounds;
  const diagonal = Math.hypot(b[3] - b[0], b[4] - b[1], b[5] - b[2]);
  raycaster.params.Points.threshold = Math.max(0.01, diagonal / 400) * pointSize / 3;
  const zCut = cutHeight();
  const hits = raycaster.intersectObject(cloud).filter((h) => h.point.z <= zCut); // cut-away points cannot be picked
  if (hits.length === 0) return -1;
  // Among the hits within a small depth window of the nearest, take the one closest to the ray.
  const nearest = hits[0].distance;
  let best = hits[0];
  for (const h of hits) {
    if (h.distance > nearest + 0.05) break;
    if (h.distanceToRay < best.distanceToRay) best = h;
  }
  return best.index;
}

// Screen position of point i (client pixels); used by the end-to-end test.
window.studio.projectPoint = (i) => {
  const p = new THREE.Vector3(state.positions[3 * i], state.positions[3 * i + 1], state.positions[3 * i + 2]).project(camera);
  const rect = renderer.domElement.getBoundingClientRect();
  return { x: rect.left + (p.x + 1) / 2 * rect.width, y: rect.top + (1 - p.y) / 2 * rect.height, visible: p.z < 1 };
};

// The point a click at client (x, y) would pick, or -1; used by the end-to-end test.
window.studio.pickAt = (x, y) => pick({ clientX: x, clientY: y });

// ---------- colours ----------
function hashColor(id, salt) {
  let h = (id * 2654435761 + salt * 40503) >>> 0;
  h ^= h >>> 15; h = Math.imul(h, 2246822519) >>> 0; h ^= h >>> 13;
  return [64 + (h & 0x7f) + 32, 64 + ((h >>> 8) & 0x7f) + 32, 64 + ((h >>> 16) & 0x7f) + 32];
}
function classColor(id) {
  const c = state.classes.find((k) => k.id === id);
  return c ? c.color : hashColor(id, 7);
}
function baseColor(i, out) {
  switch (state.colorBy) {
    case 'segments': { const c = state.segmentColors[state.segments[i]]; out[0] = c[0]; out[1] = c[1]; out[2] = c[2]; return; }
    case 'semantic': case 'gt-semantic': {
      const labels = state.colorBy === 'semantic' ? state.labels : state.gtLabels;
      const id = labels ? labels.semantic[i] : 0;
      const c = id === 0 ? [60, 60, 60] : classColor(id); out[0] = c[0]; out[1] = c[1]; out[2] = c[2]; return;
    }
    case 'instance': case 'gt-instance': {
      const labels = state.colorBy === 'instance' ? state.labels : state.gtLabels;
      const id = labels ? labels.instance[i] : 0;
      const c = id === 0 ? [60, 60, 60] : hashColor(id, 3); out[0] = c[0]; out[1] = c[1]; out[2] = c[2]; return;
    }
    case 'prediction': case 'prediction-instance': {
      const p = state.predLabels;
      const id = p ? (state.colorBy === 'prediction' ? p.semantic[i] : p.instance[i]) : 0;
      const c = id === 0 ? [60, 60, 60] : state.colorBy === 'prediction' ? classColor(id) : hashColor(id, 5);
      out[0] = c[0]; out[1] = c[1]; out[2] = c[2]; return;
    }
    default: out[0] = state.rgb[3 * i]; out[1] = state.rgb[3 * i + 1]; out[2] = state.rgb[3 * i + 2];
  }
}
// What the shown colour of a point depends on besides the point itself (the mode and its masks).
function colorContext() {
  return {
    refine: state.mode === 'refine' && state.mask,
    review: state.mode === 'review' && state.review.mask,
    overlay: state.mode === 'click' && state.colorBy === 'rgb' && state.labels,
  };
}
// The shown colour of point i into c.
function pointColor(i, c, { refine, review, overlay }) {
  baseColor(i, c);
  if (refine) {
    if (state.mask[i]) { c[0] = 0.35 * c[0] + 0.65 * 255; c[1] = 0.35 * c[1] + 0.65 * 150; c[2] = 0.35 * c[2] + 0.65 * 20; }
    else { c[0] *= 0.55; c[1] *= 0.55; c[2] *= 0.55; }
  } else if (review) {
    if (state.review.mask[i]) { c[0] = 0.3 * c[0] + 0.7 * 255; c[1] = 0.3 * c[1] + 0.7 * 120; c[2] = 0.3 * c[2] + 0.7 * 200; }
    else if (state.labels && state.labels.instance[i] !== 0) { const k = classColor(state.labels.semantic[i]); c[0] = 0.5 * c[0] + 0.25 * k[0]; c[1] = 0.5 * c[1] + 0.25 * k[1]; c[2] = 0.5 * c[2] + 0.25 * k[2]; }
    else { c[0] *= 0.5; c[1] *= 0.5; c[2] *= 0.5; }
  } else if (overlay && state.labels.instance[i] !== 0) {
    const k = classColor(state.labels.semantic[i]);
    c[0] = 0.3 * c[0] + 0.7 * k[0]; c[1] = 0.3 * c[1] + 0.7 * k[1]; c[2] = 0.3 * c[2] + 0.7 * k[2];
  }
  if (state.mode === 'click' && state.hoverSegment >= 0 && state.segments[i] === state.hoverSegment) {
    c[0] = 0.4 * c[0] + 0.6 * 255; c[1] = 0.4 * c[1] + 0.6 * 255; c[2] = 0.4 * c[2] + 0.6 * 255;
  }
}
function recolor() {
  if (!cloud) return;
  const n = state.scene.points, colors = colorAttribute.array, c = [0, 0, 0], context = colorContext();
  for (let i = 0; i < n; i++) {
    pointColor(i, c, context);
    colors[4 * i] = c[0]; colors[4 * i + 1] = c[1]; colors[4 * i + 2] = c[2];
  }
  colorAttribute.clearUpdateRanges(); // the whole buffer goes up at the next draw
  colorAttribute.needsUpdate = true;
  fullUploadPending = true;
  drawMarkers();
  render();
}
// The runs (start, count pairs, ascending) as [start, end) ranges, runs closer than `gap` points merged.
function mergeRuns(runs, gap) {
  const ranges = [];
  for (let r = 0; r < runs.length; r += 2) {
    const start = runs[r], end = start + runs[r + 1], last = ranges.at(-1);
    if (last && start - last[1] <= gap) last[1] = end; else ranges.push([start, end]);
  }
  return ranges;
}
// Recolours only the points of `runs` (start, count pairs, ascending: a refine answer's diff), uploads only the
// parts of the colour buffer they fall in and draws only those points again; the geometry stays as it is. Uploads:
// runs closer than `gap` points share one range, and past `maxRanges` ranges one covers them all (each range is one
// bufferSubData call). Draws: runs closer than 16 points share one (in SwiftShader a draw call costs about what
// drawing 16 points does), merged across ever larger gaps while there are more than `maxDraws`.
function recolorRuns(runs, gap = 512, maxRanges = 64, maxDraws = 512) {
  if (!cloud) return;
  const colors = colorAttribute.array, c = [0, 0, 0], context = colorContext();
  for (let r = 0; r < runs.length; r += 2) {
    for (let i = runs[r], end = runs[r] + runs[r + 1]; i < end; i++) {
      pointColor(i, c, context);
      colors[4 * i] = c[0]; colors[4 * i + 1] = c[1]; colors[4 * i + 2] = c[2];
    }
  }
  const ranges = mergeRuns(runs, gap);
  if (ranges.length > maxRanges) ranges.splice(0, ranges.length, [ranges[0][0], ranges.at(-1)[1]]);
  // ranges add to those not uploaded yet (three.js merges them at the next draw); a whole upload pending covers them
  if (!fullUploadPending) for (const [start, end] of ranges) colorAttribute.addUpdateRange(4 * start, 4 * (end - start));
  if (ranges.length > 0) colorAttribute.needsUpdate = true;
  window.studio.lastUpload = fullUploadPending ? 'all' : ranges.map(([start, end]) => [start, end - start]); // for the tests
  let draws = mergeRuns(runs, 16);
  for (let g = 32; draws.length > maxDraws; g *= 2) draws = mergeRuns(runs, g);
  window.studio.lastDraws = draws.map(([start, end]) => [start, end - start]); // for the tests
  drawMarkers();
  renderRanges(draws);
}
// The markers (a sphere at each click): one sphere geometry per scene size, one material per colour. When the markers
// only grew (a refine click), the new ones go into the next partial frame; any other change needs a whole frame.
let markerGeometry = null, markerRadius = 0, markerKeys = [], markerClipping = [];
const markerMaterials = new Map();
function markerMaterial(rgb) {
  const key = rgb.join(',');
  let m = markerMaterials.get(key);
  if (!m) {
    m = new THREE.MeshBasicMaterial({ color: new THREE.Color().setRGB(rgb[0] / 255, rgb[1] / 255, rgb[2] / 255, THREE.SRGBColorSpace), clippingPlanes: markerClipping });
    markerMaterials.set(key, m);
  }
  return m;
}
function drawMarkers() {
  const wanted = [];
  if (!state.scene) { /* none */ } else if (state.mode === 'refine' && state.refine) {
    const o = state.annotations.objects.find((x) => x.object === state.selected);
    if (o) wanted.push([o.point, [0x33, 0xdd, 0x55]]);
    for (const c of state.refine.clicks) wanted.push([c.point, c.positive ? [0x33, 0xdd, 0x55] : [0xee, 0x33, 0x33]]);
  } else if (state.mode === 'review') {
    // no markers: the instance's mask is the thing to judge
  } else if (state.annotations) {
    for (const o of state.annotations.objects) wanted.push([o.point, classColor(o.label)]);
  }
  const keys = wanted.map(([point, rgb]) => `${state.scene.id}:${point}:${rgb.join(',')}`);
  let radius = markerRadius;
  if (state.scene) { const b = state.scene.bounds; radius = Math.max(0.02, Math.hypot(b[3] - b[0], b[4] - b[1]) / 250); }
  const grew = radius === markerRadius && markerKeys.every((k, i) => keys[i] === k);
  if (grew && keys.length === markerKeys.length) return;
  if (!grew) {
    markers.clear();
    render();
  }
  if (radius !== markerRadius || !markerGeometry) { markerGeometry?.dispose(); markerGeometry = new THREE.SphereGeometry(radius, 10, 8); markerRadius = radius; }
  for (let i = grew ? markerKeys.length : 0; i < wanted.length; i++) {
    const [point, rgb] = wanted[i];
    const m = new THREE.Mesh(markerGeometry, markerMaterial(rgb));
    m.position.set(state.positions[3 * point], state.positions[3 * point + 1], state.positions[3 * point + 2]);
    markers.add(m);
    if (grew) overlay.add(m.clone());
  }
  markerKeys = keys;
}

// ---------- scene list ----------
async function loadSceneList() {
  const scenes = await api('/api/scenes');
  const list = $('scenes');
  list.replaceChildren();
  for (const s of scenes) {
    const li = document.createElement('li');
    li.dataset.id = s.id;
    if (state.scene && state.scene.id === s.id) li.classList.add('active');
    li.innerHTML = `<span class="name"></span><span class="meta"></span><div class="bar"><span></span></div>`;
    li.querySelector('.name').textContent = s.id;
    li.querySelector('.meta').textContent = s.error ? 'cannot be read' : `${s.points.toLocaleString('en')} pts · ${s.objects} obj · ${Math.round(100 * s.progress)}%`;
    if (s.error) li.title = s.error;
    li.querySelector('.bar span').style.width = `${Math.round(100 * s.progress)}%`;
    li.addEventListener('click', () => openScene(s.id).catch((e) => showError(e.message)));
    list.appendChild(li);
  }
  return scenes;
}

// ---------- opening a scene ----------
function placeCamera(b) {
  const center = new THREE.Vector3((b[0] + b[3]) / 2, (b[1] + b[4]) / 2, (b[2] + b[5]) / 2);
  const size = Math.max(b[3] - b[0], b[4] - b[1], b[5] - b[2]);
  controls.target.copy(center);
  camera.position.set(center.x - 0.2 * size, center.y - 0.9 * size, center.z + 0.9 * size);
  camera.near = size / 1000; camera.far = size * 20; camera.updateProjectionMatrix();
  controls.update();
}
// The cloud drawn from now on: positions (x y z per point) and colours (RGBA per point, the alpha unused).
function setCloud(positions, colors) {
  if (cloud) { scene3.remove(cloud); overlay.remove(overlayCloud); cloud.geometry.dispose(); overlayCloud.geometry.dispose(); }
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.BufferAttribute(positions, 3));
  colorAttribute = new THREE.BufferAttribute(colors, 4, true);
  colorAttribute.onUpload(() => { fullUploadPending = false; });
  fullUploadPending = true;
  geometry.setAttribute('color', colorAttribute);
  geometry.computeBoundingSphere();
  cloud = new THREE.Points(geometry, material);
  scene3.add(cloud);
  const shared = new THREE.BufferGeometry(); // the same attributes (so the same GL buffers), drawn by groups
  shared.setAttribute('position', geometry.getAttribute('position'));
  shared.setAttribute('color', colorAttribute);
  overlayCloud = new THREE.Points(shared, [material]);
  overlayCloud.frustumCulled = false;
  overlay.add(overlayCloud);
  wholeFrame = true; // the next frame draws it all; the caller asks for one when the colours are there
}
// Level 0 of a large scan (a voxel subsample, GET …/preview): drawn at once, not pickable; the full scan replaces it.
async function showPreview(id, info) {
  const buffer = await api(`/api/scenes/${encodeURIComponent(id)}/preview`, { binary: true });
  const [, m] = new Uint32Array(buffer, 0, 2);
  const rgb = new Uint8Array(buffer, 8 + 16 * m, 3 * m), rgba = new Uint8Array(4 * m);
  for (let i = 0; i < m; i++) { rgba[4 * i] = rgb[3 * i]; rgba[4 * i + 1] = rgb[3 * i + 1]; rgba[4 * i + 2] = rgb[3 * i + 2]; }
  setCloud(new Float32Array(buffer, 8 + 4 * m, 3 * m), rgba);
  state.scene = info;
  placeCamera(info.bounds);
  resize();
  applyCut();
  window.studio.timings.preview = drawNow();
  setStatus(`${id}: level 0, ${m.toLocaleString('en')} of ${info.points.toLocaleString('en')} points; full resolution streaming …`);
}
async function openScene(id) {
  await flushTime();
  window.studio.ready = false;
  state.full = false;
  const timings = window.studio.timings = { start: performance.now() };
  setStatus(`loading ${id} …`);
  const base = `/api/scenes/${encodeURIComponent(id)}`;
  const info = await api(base);
  const pending = Promise.all([api(`${base}/points`, { binary: true }), api(`${base}/segments`, { binary: true }),
    info.groundTruth ? fetchLabels(id, 'ground-truth') : Promise.resolve(null)]);
  if (info.points > (state.info.lodThreshold ?? Infinity)) await showPreview(id, info);
  const [pointsBuffer, segmentsBuffer, gtLabels] = await pending;
  timings.transferred = performance.now();
  const n = new Uint32Array(pointsBuffer, 0, 1)[0];
  state.scene = info;
  state.positions = new Float32Array(pointsBuffer, 4, 3 * n);
  state.rgb = new Uint8Array(pointsBuffer, 4 + 12 * n, 3 * n);
  state.segments = new Int32Array(segmentsBuffer);
  state.segmentColors = Array.from({ length: info.segments }, (_, s) => hashColor(s + 1, 11));
  state.gtLabels = gtLabels;
  state.mode = 'click'; state.selected = null; state.refine = null; state.mask = null; state.hoverSegment = -1;
  state.predLabels = null; state.review = { source: null, list: [], index: 0, mask: null };

  const keepCamera = state.full === false && cloud && timings.preview;
  setCloud(state.positions, new Uint8Array(4 * n));
  state.full = true;

  $('scene-panel').hidden = false;
  $('scene-title').textContent = id;
  for (const [a, kind] of [['export-clicks', 'clicks'], ['export-instance', 'instance'], ['export-semantic', 'semantic']]) {
    $(a).href = `/api/scenes/${encodeURIComponent(id)}/export/${kind}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
    $(a).download = kind === 'clicks' ? `${id}.clicks.json` : `${id}_${kind}.txt`;
  }
  await reloadAnnotations({ draw: false }); // setMode colours and draws
  if (!keepCamera) placeCamera(info.bounds); // (a camera change asks for a frame: not before the colours are there)
  state.openedAt = state.lastObjectAt = performance.now();
  setMode('click');
  resize();
  applyCut();
  timings.coloured = performance.now(); // the rest is the first full draw (uploading the points and drawing them)
  timings.full = drawNow();
  setStatus(`${id}: ${n.toLocaleString('en')} points, ${info.segments} segments`);
  renderSources();
  window.studio.ready = true;
}
async function fetchLabels(id, source) {
  const buffer = await api(`/api/scenes/${encodeURIComponent(id)}/labels?source=${source}`, { binary: true });
  const n = buffer.byteLength / 8;
  return { semantic: new Int32Array(buffer, 0, n), instance: new Int32Array(buffer, 4 * n, n) };
}
async function reloadAnnotations({ draw = true } = {}) {
  const id = state.scene.id;
  const [annotations, labels] = await Promise.all([api(`/api/scenes/${encodeURIComponent(id)}/annotations`), fetchLabels(id, 'annotation')]);
  state.annotations = annotations;
  state.version = annotations.version;
  state.labels = labels;
  renderObjects();
  if (draw) recolor();
  loadSceneList().catch(() => {}); // progress in the scene list
}

// ---------- changes (version-checked) ----------
async function change(action) {
  if (state.busy) return null;
  state.busy = true;
  try {
    return await action();
  } catch (e) {
    if (e.status === 409) {
      showError(`${e.message}. The scene was reloaded with the other changes.`);
      await reloadAnnotations().catch(() => {});
      if (state.mode === 'refine' && state.selected) await loadRefine(state.selected).catch(() => {});
    } else {
      showError(e.message);
    }
    return null;
  } finally {
    state.busy = false;
  }
}
const scenePath = () => `/api/scenes/${encodeURIComponent(state.scene.id)}`;

async function addObject(point) {
  const label = state.classes[state.classIndex].id;
  const now = performance.now();
  const seconds = (now - state.lastObjectAt) / 1000;
  const r = await change(() => api(`${scenePath()}/objects`, { method: 'POST', body: { version: state.version, label, point, seconds } }));
  if (!r) return;
  state.lastObjectAt = now;
  state.lastClassId = label;
  state.version = r.version;
  await reloadAnnotations();
  setStatus(`object ${r.object} (${className(label)}) at point ${point}`);
}
async function deleteObject(obj) {
  const r = await change(() => api(`${scenePath()}/objects/${obj}?version=${state.version}`, { method: 'DELETE' }));
  if (!r) return;
  state.version = r.version;
  if (state.selected === obj) setMode('click');
  await reloadAnnotations();
}
async function relabelObject(obj) {
  const label = state.classes[state.classIndex].id;
  const r = await change(() => api(`${scenePath()}/objects/${obj}`, { method: 'PATCH', body: { version: state.version, label } }));
  if (!r) return;
  state.version = r.version;
  await reloadAnnotations();
  setStatus(`object ${obj} is now ${className(label)}`);
}
// Which segmenter refines each object, remembered per browser tab: the trained model (serve --interactive) or the fallback.
function segmenterOf(obj) {
  if (!state.info.model) return 'fallback';
  const chosen = JSON.parse(sessionStorage.getItem('clickscape.segmenters') ?? '{}')[`${state.scene.id}/${obj}`];
  return chosen === 'fallback' || chosen === 'model' ? chosen : state.info.defaultSegmenter ?? 'fallback';
}
function setSegmenterOf(obj, segmenter) {
  const all = JSON.parse(sessionStorage.getItem('clickscape.segmenters') ?? '{}');
  all[`${state.scene.id}/${obj}`] = segmenter;
  sessionStorage.setItem('clickscape.segmenters', JSON.stringify(all));
}
function renderSegmenter(obj) {
  const select = $('refine-segmenter'), model = state.info.model;
  select.options[0].hidden = !model;
  select.options[0].textContent = model ? `model: ${model.method} (${model.run.split('/').filter(Boolean).at(-1)})` : 'model (none: serve --interactive RUN)';
  select.disabled = !model;
  select.value = segmenterOf(obj);
}
// The model computes a scene's features once (when the scene opens); a refine request meanwhile waits for them.
async function waitingForModel(obj) {
  if (segmenterOf(obj) !== 'model') return;
  const r = await api(`${scenePath()}/refiner`).catch(() => null);
  if (r?.model && r.model.state !== 'ready') setStatus(`${r.model.method}: computing this scene's features (once per scene) …`);
}
async function loadRefine(obj) {
  renderSegmenter(obj);
  await waitingForModel(obj);
  const r = await api(`${scenePath()}/objects/${obj}/refine?segmenter=${segmenterOf(obj)}`);
  applyRefine(r);
}
// Takes a refine answer: the whole mask, or the runs that flipped since the mask this page holds (maskId = diffBase).
// Returns false when the answer is a diff from a mask this page does not hold (then the caller reloads the state).
function applyRefine(r) {
  const n = state.scene.points;
  let runs = null;
  if (r.mask == null) {
    if (!(r.diff != null && state.mask && state.refine?.object === r.object && state.refine.maskId === r.diffBase)) return false;
    const bytes = Uint8Array.from(atob(r.diff), (ch) => ch.charCodeAt(0));
    runs = new Uint32Array(bytes.buffer); // little-endian (start, count) pairs, as every WebGL platform is
    const mask = state.mask;
    for (let k = 0; k < runs.length; k += 2) for (let i = runs[k], e = runs[k] + runs[k + 1]; i < e; i++) mask[i] ^= 1;
  } else {
    const bits = Uint8Array.from(atob(r.mask), (ch) => ch.charCodeAt(0));
    state.mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) state.mask[i] = (bits[i >> 3] >> (i & 7)) & 1;
  }
  state.refine = r;
  state.version = r.version;
  $('refine-object').textContent = `object ${r.object}`;
  $('refine-status').textContent = `${r.clicks.length} refine click(s) · mask ${r.maskSize.toLocaleString('en')} points · ${r.method}`;
  $('undo').disabled = !r.canUndo;
  $('redo').disabled = !r.canRedo;
  if (runs) recolorRuns(runs); else recolor();
  return true;
}
const refineBody = (extra) => ({ version: state.version, segmenter: segmenterOf(state.selected), maskId: state.refine?.object === state.selected ? state.refine.maskId : null, ...extra });
async function refineClick(point, positive) {
  const obj = state.selected;
  const t0 = performance.now();
  const slow = setTimeout(() => setStatus('waiting for the model (its features of this scene are still being computed) …'), 400);
  const r = await change(() => api(`${scenePath()}/objects/${obj}/refine`, { method: 'POST', body: refineBody({ point, positive }) })).finally(() => clearTimeout(slow));
  if (!r) return null;
  const t1 = performance.now();
  if (!applyRefine(r)) await loadRefine(obj);
  const t2 = performance.now();
  const total = drawNow() - t0; // applyRefine coloured and asked for a frame; drawNow draws it at once
  // serverMs is the request on the server (computeMs of it the segmenter's); the rest of the request is transfer and
  // parsing; then applying the answer and recolouring, then drawing
  const request = t1 - t0;
  window.studio.timings.refine = {
    total, compute: r.computeMs, server: r.serverMs, transfer: request - r.serverMs, overhead: total - r.computeMs, request,
    colour: t2 - t1, draw: t0 + total - t2, diff: r.diff != null, bytes: (r.diff ?? r.mask ?? '').length, segmenter: r.segmenter,
    frame: window.studio.lastFrame, drawn: window.studio.lastDrawn, // a partial frame (the flipped points) or a whole one
  };
  setStatus(`${positive ? 'positive' : 'negative'} click at point ${point}: mask in ${Math.round(total)} ms (${r.method} ${Math.round(r.computeMs)} ms)`);
  return window.studio.timings.refine;
}
window.studio.refineClick = refineClick;
window.studio.openScene = openScene;
window.studio.setMode = (mode, obj) => setMode(mode, obj);
async function refineAction(action) {
  if (!state.selected) return;
  const obj = state.selected;
  const r = await change(() => api(`${scenePath()}/objects/${obj}/refine/${action}`, { method: 'POST', body: refineBody({}) }));
  if (!r) return;
  if (!applyRefine(r)) await loadRefine(obj);
  if (action === 'accept') {
    await reloadAnnotations();
    setStatus(`object ${r.object}: mask of ${r.maskSize} points accepted`);
    setMode('click');
  }
}

// ---------- modes and panels ----------
function setMode(mode, obj) {
  if (mode === 'review') {
    if (!state.sources.some((s) => s.scenes.includes(state.scene?.id))) {
      showError('no predictions for this scene: start a job (Train on the clicks) or serve --run a predict / pseudo-label output');
      return;
    }
    state.mode = 'review';
    state.selected = null; state.refine = null; state.mask = null;
    loadReview().catch((e) => showError(e.message));
  } else if (mode === 'refine') {
    const target = obj ?? state.selected ?? state.annotations?.objects.at(-1)?.object;
    if (!target) { showError('Refine needs an object: click one first, or pick one in the list'); return; }
    state.selected = target;
    state.mode = 'refine';
    loadRefine(target).catch((e) => showError(e.message));
  } else {
    state.mode = 'click';
    state.selected = null; state.refine = null; state.mask = null;
  }
  if (state.mode !== 'review') { state.review.mask = null; state.review.loaded = null; }
  $('mode-click').classList.toggle('active', state.mode === 'click');
  $('mode-refine').classList.toggle('active', state.mode === 'refine');
  $('mode-review').classList.toggle('active', state.mode === 'review');
  $('click-panel').hidden = state.mode === 'refine';
  $('refine-panel').hidden = state.mode !== 'refine';
  $('review-panel').hidden = state.mode !== 'review';
  renderObjects();
  recolor();
}
function className(id) { return state.classes.find((c) => c.id === id)?.name ?? `class ${id}`; }
function renderClasses() {
  const list = $('classes');
  list.replaceChildren();
  state.classes.forEach((c, i) => {
    const li = document.createElement('li');
    if (i === state.classIndex) li.classList.add('active');
    const key = i < 10 ? `${(i + 1) % 10}` : i < 20 ? `⇧${(i - 9) % 10}` : '';
    li.innerHTML = `<span class="swatch"></span><span class="name"></span><span class="key"></span>`;
    li.querySelector('.swatch').style.background = `rgb(${c.color.join(',')})`;
    li.querySelector('.name').textContent = c.name;
    li.querySelector('.key').textContent = key;
    li.addEventListener('click', () => selectClass(i));
    list.appendChild(li);
  });
}
function selectClass(i) {
  if (i < 0 || i >= state.classes.length) return;
  state.classIndex = i;
  renderClasses();
}
function renderObjects() {
  const list = $('objects');
  list.replaceChildren();
  if (!state.annotations) return;
  for (const o of state.annotations.objects) {
    const li = document.createElement('li');
    li.dataset.object = o.object;
    if (o.object === state.selected) li.classList.add('selected');
    li.innerHTML = `<span class="swatch"></span><span class="name"></span><button class="relabel" title="give this object the selected class">class</button><button class="refine" title="refine this object">refine</button><button class="delete" title="delete this object">✕</button>`;
    li.querySelector('.swatch').style.background = `rgb(${classColor(o.label).join(',')})`;
    li.querySelector('.name').textContent = `${o.object}. ${className(o.label)}${o.accepted ? ' ✓' : ''}${o.refineClicks.length ? ` (${o.refineClicks.length})` : ''}`;
    li.querySelector('.refine').addEventListener('click', () => setMode('refine', o.object));
    li.querySelector('.delete').addEventListener('click', () => deleteObject(o.object));
    li.querySelector('.relabel').addEventListener('click', () => relabelObject(o.object));
    list.appendChild(li);
  }
  const a = state.annotations;
  const accepted = a.objects.filter((o) => o.accepted).length;
  $('progress').textContent = `${a.objects.length} objects · ${accepted} refined · ${Math.round(100 * a.progress)}% labelled · ${Math.round(a.seconds + state.unsentSeconds)} s`;
}

// ---------- review mode ----------
async function loadSources() {
  state.sources = await api('/api/review/sources');
  renderSources();
}
function renderSources() {
  const select = $('review-source');
  const here = state.sources.filter((s) => state.scene && s.scenes.includes(state.scene.id));
  select.replaceChildren(...here.map((s) => { const o = document.createElement('option'); o.value = s.id; o.textContent = s.id; return o; }));
  if (!here.some((s) => s.id === state.review.source)) state.review.source = here.at(-1)?.id ?? null;
  if (state.review.source) select.value = state.review.source;
}
async function loadPredictionLabels(source) {
  const buffer = await api(`${scenePath()}/labels?source=prediction&set=${encodeURIComponent(source)}`, { binary: true });
  const n = buffer.byteLength / 8;
  state.predLabels = { source, semantic: new Int32Array(buffer, 0, n), instance: new Int32Array(buffer, 4 * n, n) };
}
async function loadReview() {
  renderSources();
  const source = state.review.source;
  state.review.loaded = null; state.review.mask = null; state.review.list = [];
  const r = await api(`${scenePath()}/review?source=${encodeURIComponent(source)}`);
  state.review.list = r.instances;
  state.version = r.version;
  const pending = r.instances.findIndex((i) => i.status === 'pending');
  state.review.index = pending >= 0 ? pending : 0;
  if (!state.predLabels || state.predLabels.source !== source) await loadPredictionLabels(source).catch(() => {});
  await showReviewInstance();
  state.review.loaded = source; // the list and the mask shown are this source's
}
async function showReviewInstance() {
  const item = state.review.list[state.review.index];
  state.review.mask = null;
  if (item) {
    const bits = new Uint8Array(await api(`${scenePath()}/review/${item.instance}/mask?source=${encodeURIComponent(state.review.source)}`, { binary: true }));
    const n = state.scene.points, mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) mask[i] = (bits[i >> 3] >> (i & 7)) & 1;
    state.review.mask = mask;
    controls.target.set(item.center[0], item.center[1], item.center[2]);
    controls.update();
  }
  renderReview();
  recolor();
}
function renderReview() {
  const list = $('review-list');
  list.replaceChildren();
  state.review.list.forEach((item, k) => {
    const li = document.createElement('li');
    li.dataset.instance = item.instance;
    li.classList.add(item.status);
    if (k === state.review.index) li.classList.add('current');
    li.innerHTML = `<span class="swatch"></span><span class="name"></span><span class="status"></span><span class="conf"></span>`;
    li.querySelector('.swatch').style.background = `rgb(${classColor(item.label).join(',')})`;
    li.querySelector('.name').textContent = `${className(item.label)} · ${item.points.toLocaleString('en')} pts`;
    li.querySelector('.status').textContent = item.status === 'pending' ? '' : item.status;
    li.querySelector('.conf').textContent = item.confidence.toFixed(3);
    li.addEventListener('click', () => { state.review.index = k; showReviewInstance().catch((e) => showError(e.message)); });
    list.appendChild(li);
  });
  const done = state.review.list.filter((i) => i.status !== 'pending').length;
  const item = state.review.list[state.review.index];
  $('review-status').textContent = item
    ? `${state.review.index + 1} / ${state.review.list.length} (by confidence) · ${done} reviewed · ${className(item.label)} ${item.confidence.toFixed(3)} · ${item.status}`
    : 'no predicted instances';
  list.querySelector('li.current')?.scrollIntoView({ block: 'nearest' });
}
async function stepNow(delta) {
  const n = state.review.list.length;
  if (n === 0 || state.mode !== 'review') return;
  state.review.index = (state.review.index + delta + n) % n;
  await showReviewInstance();
}
// Review actions run one after another in the order they were given (keys typed fast wait for the previous one).
let reviewQueue = Promise.resolve();
function decide(action) {
  reviewQueue = reviewQueue.then(() => decideNow(action)).catch((e) => showError(e.message));
  return reviewQueue;
}
function stepReview(delta) {
  reviewQueue = reviewQueue.then(() => stepNow(delta)).catch((e) => showError(e.message));
  return reviewQueue;
}
async function decideNow(action) {
  if (state.mode !== 'review') return;
  const item = state.review.list[state.review.index];
  if (!item) return;
  if (item.status !== 'pending') { showError(`this instance was ${item.status} already`); return; }
  const body = { version: state.version, source: state.review.source, action };
  if (action === 'relabel') body.label = state.classes[state.classIndex].id;
  const r = await change(() => api(`${scenePath()}/review/${item.instance}`, { method: 'POST', body }));
  if (!r) return;
  state.version = r.version;
  item.status = r.status; item.object = r.object;
  await reloadAnnotations();
  if (action === 'fix') { setMode('refine', r.object); setStatus(`instance ${item.instance} is object ${r.object}: click to fix its mask, Enter accepts`); return; }
  const next = state.review.list.findIndex((i, k) => k > state.review.index && i.status === 'pending');
  if (next >= 0) state.review.index = next;
  setStatus(`instance ${item.instance}: ${r.status}${r.object ? ` (object ${r.object})` : ''}`);
  await showReviewInstance();
}

// ---------- background jobs ----------
async function startJob(body) {
  try {
    showJob(await api('/api/jobs', { method: 'POST', body }));
  } catch (e) { showError(e.message); }
}
function showJob(job) {
  state.job = job;
  const running = job.status === 'queued' || job.status === 'running';
  $('job-status').textContent = `job ${job.id} (${job.kind}, ${job.scenes.length} scans): ${job.status}${job.stage ? ` · ${job.stage}` : ''}${job.message ? ` · ${job.message}` : ''}${job.error ? ` · ${job.error}` : ''}`;
  $('job-bar').hidden = false;
  $('job-bar').querySelector('span').style.width = `${Math.round(100 * job.progress)}%`;
  $('job-cancel').hidden = !running;
  $('job-review').hidden = !job.source;
  $('job-train').disabled = running; $('job-pseudo').disabled = running;
  if (running) { clearTimeout(showJob.timer); showJob.timer = setTimeout(() => api(`/api/jobs/${job.id}`).then(showJob).catch((e) => showError(e.message)), 1000); }
  else if (job.source) loadSources().catch(() => {});
}

// ---------- input ----------
let down = null;
renderer.domElement.addEventListener('pointerdown', (e) => { down = { x: e.clientX, y: e.clientY, button: e.button }; });
renderer.domElement.addEventListener('contextmenu', (e) => e.preventDefault());
renderer.domElement.addEventListener('pointerup', (e) => {
  if (!down || !state.scene) return;
  const moved = Math.hypot(e.clientX - down.x, e.clientY - down.y);
  const button = down.button;
  down = null;
  if (moved > 4) return; // a drag: orbit / pan, not a click
  const point = pick(e);
  if (point < 0) return;
  if (!state.full) { setStatus('full resolution still streaming: clicks work once it is drawn'); return; }
  if (state.mode === 'click' && button === 0) addObject(point);
  else if (state.mode === 'refine' && (button === 0 || button === 2)) refineClick(point, button === 0 && !e.shiftKey);
});
let hoverPending = false;
renderer.domElement.addEventListener('pointermove', (e) => {
  if (state.mode !== 'click' || !state.scene || !state.full || down || hoverPending) return;
  hoverPending = true;
  requestAnimationFrame(() => {
    hoverPending = false;
    const point = pick(e);
    const segment = point < 0 ? -1 : state.segments[point];
    if (segment !== state.hoverSegment) { state.hoverSegment = segment; recolor(); }
  });
});
window.addEventListener('keydown', (e) => {
  if (!state.scene || e.target.tagName === 'SELECT' || e.target.tagName === 'INPUT') return;
  const digit = /^Digit(\d)$/.exec(e.code);
  if (digit && (state.mode === 'click' || state.mode === 'review') && !e.ctrlKey) {
    const d = Number(digit[1]);
    selectClass((d === 0 ? 9 : d - 1) + (e.shiftKey ? 10 : 0));
    e.preventDefault();
  } else if (state.mode === 'review' && !e.ctrlKey && /^[aAeEfFdDnNpP]$/.test(e.key)) {
    const k = e.key.toLowerCase();
    if (k === 'a') decide('accept'); else if (k === 'e') decide('relabel'); else if (k === 'f') decide('fix');
    else if (k === 'd') decide('delete'); else if (k === 'n') stepReview(1); else stepReview(-1);
    e.preventDefault();
  } else if (e.key === 'l' || e.key === 'L') {
    const i = state.classes.findIndex((c) => c.id === state.lastClassId);
    if (i >= 0) selectClass(i);
  } else if (e.key === 'c' || e.key === 'C' || e.key === 'Escape') {
    setMode('click');
  } else if ((e.key === 'r' || e.key === 'R') && !e.ctrlKey) {
    setMode('refine');
  } else if ((e.key === 'v' || e.key === 'V') && !e.ctrlKey) {
    setMode('review');
  } else if (state.mode === 'refine' && e.ctrlKey && (e.key === 'z' || e.key === 'Z')) {
    refineAction(e.shiftKey ? 'redo' : 'undo'); e.preventDefault();
  } else if (state.mode === 'refine' && e.ctrlKey && (e.key === 'y' || e.key === 'Y')) {
    refineAction('redo'); e.preventDefault();
  } else if (state.mode === 'refine' && e.key === 'Enter') {
    refineAction('accept');
  }
});
$('mode-click').addEventListener('click', () => setMode('click'));
$('mode-refine').addEventListener('click', () => setMode('refine'));
$('mode-review').addEventListener('click', () => setMode('review'));
$('review-prev').addEventListener('click', () => stepReview(-1));
$('review-next').addEventListener('click', () => stepReview(1));
$('review-accept').addEventListener('click', () => decide('accept'));
$('review-relabel').addEventListener('click', () => decide('relabel'));
$('review-fix').addEventListener('click', () => decide('fix'));
$('review-delete').addEventListener('click', () => decide('delete'));
$('review-source').addEventListener('change', (e) => { state.review.source = e.target.value; loadReview().catch((x) => showError(x.message)); });
$('cut').addEventListener('input', applyCut);
$('job-train').addEventListener('click', () => startJob({ kind: 'train', method: $('job-method').value }));
$('job-pseudo').addEventListener('click', () => startJob({ kind: 'pseudo-label', run: 'run' }));
$('job-cancel').addEventListener('click', () => state.job && api(`/api/jobs/${state.job.id}/cancel`, { method: 'POST', body: {} }).then(showJob).catch((e) => showError(e.message)));
$('job-review').addEventListener('click', async () => {
  const source = state.job?.source;
  if (!source || !state.scene) { showError('open a scene first'); return; }
  await loadSources();
  state.review.source = source;
  setMode('review');
});
$('undo').addEventListener('click', () => refineAction('undo'));
$('redo').addEventListener('click', () => refineAction('redo'));
$('accept').addEventListener('click', () => refineAction('accept'));
$('leave-refine').addEventListener('click', () => setMode('click'));
$('refine-segmenter').addEventListener('change', (e) => {
  if (!state.selected) return;
  setSegmenterOf(state.selected, e.target.value);
  loadRefine(state.selected).catch((x) => showError(x.message));
});
$('color-by').addEventListener('change', async (e) => {
  if (e.target.value.startsWith('gt-') && !state.gtLabels) { showError('this scene has no ground-truth labels'); e.target.value = state.colorBy; return; }
  if (e.target.value.startsWith('prediction')) {
    const source = state.review.source ?? state.sources.find((s) => s.scenes.includes(state.scene?.id))?.id;
    if (!source) { showError('no predictions for this scene'); e.target.value = state.colorBy; return; }
    try { await loadPredictionLabels(source); } catch (x) { showError(x.message); e.target.value = state.colorBy; return; }
  }
  state.colorBy = e.target.value; recolor();
});
$('point-size').addEventListener('input', (e) => setPointSize(Number(e.target.value)));

// ---------- annotation time ----------
async function flushTime() {
  if (!state.scene) return;
  const now = performance.now();
  if (document.visibilityState === 'visible') state.unsentSeconds += (now - (flushTime.last ?? state.openedAt)) / 1000;
  flushTime.last = now;
  if (state.unsentSeconds < 1) return;
  const seconds = state.unsentSeconds;
  state.unsentSeconds = 0;
  try {
    const r = await api(`${scenePath()}/time`, { method: 'POST', body: { seconds } });
    if (state.annotations) state.annotations.seconds = r.seconds;
  } catch (e) { state.unsentSeconds += seconds; }
}
setInterval(() => flushTime(), 15000);
document.addEventListener('visibilitychange', () => { flushTime.last = performance.now(); });

// ---------- start ----------
(async () => {
  try {
    state.info = await api('/api/info');
    state.classes = await api('/api/classes');
    renderClasses();
    await loadSources();
    $('jobs-section').hidden = !state.info.jobs;
    $('job-pseudo').hidden = !state.info.runCheckpoint;
    const jobs = state.info.jobs ? await api('/api/jobs') : [];
    if (jobs.length) showJob(jobs[0]);
    const scenes = await loadSceneList();
    resize();
    const wanted = new URLSearchParams(location.search).get('scene');
    if (wanted && scenes.some((s) => s.id === wanted)) await openScene(wanted);
    else { setStatus(`${scenes.length} scenes: pick one`); window.studio.ready = true; }
  } catch (e) {
    showError(e.message);
  }
})();
