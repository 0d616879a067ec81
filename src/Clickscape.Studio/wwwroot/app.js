// Clickscape Studio front end: scene list, point viewer (three.js), click-per-object and refine modes.
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
};
window.studio = { ready: false, state };

// ---------- viewer ----------
const renderer = new THREE.WebGLRenderer({ antialias: false, preserveDrawingBuffer: true });
renderer.setPixelRatio(window.devicePixelRatio);
$('view').appendChild(renderer.domElement);
const scene3 = new THREE.Scene();
scene3.background = new THREE.Color(0x15171a);
const camera = new THREE.PerspectiveCamera(55, 1, 0.01, 500);
camera.up.set(0, 0, 1);
const controls = new OrbitControls(camera, renderer.domElement);
controls.enableDamping = false;
const material = new THREE.PointsMaterial({ size: 4, sizeAttenuation: false, vertexColors: true });
let cloud = null, colorAttribute = null;
const markers = new THREE.Group();
scene3.add(markers);
const raycaster = new THREE.Raycaster();

function resize() {
  const w = $('view').clientWidth, h = $('view').clientHeight;
  renderer.setSize(w, h);
  camera.aspect = w / Math.max(1, h);
  camera.updateProjectionMatrix();
  render();
}
window.addEventListener('resize', resize);
function render() { renderer.render(scene3, camera); }
controls.addEventListener('change', render);

function pick(event) {
  if (!cloud) return -1;
  const rect = renderer.domElement.getBoundingClientRect();
  const ndc = new THREE.Vector2(((event.clientX - rect.left) / rect.width) * 2 - 1, -((event.clientY - rect.top) / rect.height) * 2 + 1);
  raycaster.setFromCamera(ndc, camera);
  const b = state.scene.bounds;
  const diagonal = Math.hypot(b[3] - b[0], b[4] - b[1], b[5] - b[2]);
  raycaster.params.Points.threshold = Math.max(0.01, diagonal / 400) * material.size / 3;
  const hits = raycaster.intersectObject(cloud);
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
    default: out[0] = state.rgb[3 * i]; out[1] = state.rgb[3 * i + 1]; out[2] = state.rgb[3 * i + 2];
  }
}
function recolor() {
  if (!cloud) return;
  const n = state.scene.points, colors = colorAttribute.array, c = [0, 0, 0];
  const refine = state.mode === 'refine' && state.mask;
  const overlay = state.mode === 'click' && state.colorBy === 'rgb' && state.labels;
  for (let i = 0; i < n; i++) {
    baseColor(i, c);
    if (refine) {
      if (state.mask[i]) { c[0] = 0.35 * c[0] + 0.65 * 255; c[1] = 0.35 * c[1] + 0.65 * 150; c[2] = 0.35 * c[2] + 0.65 * 20; }
      else { c[0] *= 0.55; c[1] *= 0.55; c[2] *= 0.55; }
    } else if (overlay && state.labels.instance[i] !== 0) {
      const k = classColor(state.labels.semantic[i]);
      c[0] = 0.3 * c[0] + 0.7 * k[0]; c[1] = 0.3 * c[1] + 0.7 * k[1]; c[2] = 0.3 * c[2] + 0.7 * k[2];
    }
    if (state.mode === 'click' && state.hoverSegment >= 0 && state.segments[i] === state.hoverSegment) {
      c[0] = 0.4 * c[0] + 0.6 * 255; c[1] = 0.4 * c[1] + 0.6 * 255; c[2] = 0.4 * c[2] + 0.6 * 255;
    }
    colors[3 * i] = c[0]; colors[3 * i + 1] = c[1]; colors[3 * i + 2] = c[2];
  }
  colorAttribute.needsUpdate = true;
  drawMarkers();
  render();
}
function drawMarkers() {
  markers.clear();
  if (!state.scene) return;
  const b = state.scene.bounds;
  const radius = Math.max(0.02, Math.hypot(b[3] - b[0], b[4] - b[1]) / 250);
  const add = (point, color) => {
    const m = new THREE.Mesh(new THREE.SphereGeometry(radius, 10, 8), new THREE.MeshBasicMaterial({ color }));
    m.position.set(state.positions[3 * point], state.positions[3 * point + 1], state.positions[3 * point + 2]);
    markers.add(m);
  };
  if (state.mode === 'refine' && state.refine) {
    const o = state.annotations.objects.find((x) => x.object === state.selected);
    if (o) add(o.point, 0x33dd55);
    for (const c of state.refine.clicks) add(c.point, c.positive ? 0x33dd55 : 0xee3333);
  } else if (state.annotations) {
    for (const o of state.annotations.objects) {
      const k = classColor(o.label);
      add(o.point, new THREE.Color(k[0] / 255, k[1] / 255, k[2] / 255));
    }
  }
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
async function openScene(id) {
  await flushTime();
  window.studio.ready = false;
  setStatus(`loading ${id} …`);
  const [info, pointsBuffer, segmentsBuffer] = await Promise.all([
    api(`/api/scenes/${encodeURIComponent(id)}`),
    api(`/api/scenes/${encodeURIComponent(id)}/points`, { binary: true }),
    api(`/api/scenes/${encodeURIComponent(id)}/segments`, { binary: true }),
  ]);
  const n = new Uint32Array(pointsBuffer, 0, 1)[0];
  state.scene = info;
  state.positions = new Float32Array(pointsBuffer, 4, 3 * n);
  state.rgb = new Uint8Array(pointsBuffer, 4 + 12 * n, 3 * n);
  state.segments = new Int32Array(segmentsBuffer);
  state.segmentColors = Array.from({ length: info.segments }, (_, s) => hashColor(s + 1, 11));
  state.gtLabels = info.groundTruth ? await fetchLabels(id, 'ground-truth') : null;
  state.mode = 'click'; state.selected = null; state.refine = null; state.mask = null; state.hoverSegment = -1;

  if (cloud) { scene3.remove(cloud); cloud.geometry.dispose(); }
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.BufferAttribute(state.positions, 3));
  colorAttribute = new THREE.BufferAttribute(new Uint8Array(3 * n), 3, true);
  geometry.setAttribute('color', colorAttribute);
  geometry.computeBoundingSphere();
  cloud = new THREE.Points(geometry, material);
  scene3.add(cloud);
  const b = info.bounds;
  const center = new THREE.Vector3((b[0] + b[3]) / 2, (b[1] + b[4]) / 2, (b[2] + b[5]) / 2);
  const size = Math.max(b[3] - b[0], b[4] - b[1], b[5] - b[2]);
  controls.target.copy(center);
  camera.position.set(center.x - 0.2 * size, center.y - 0.9 * size, center.z + 0.9 * size);
  camera.near = size / 1000; camera.far = size * 20; camera.updateProjectionMatrix();
  controls.update();

  $('scene-panel').hidden = false;
  $('scene-title').textContent = id;
  for (const [a, kind] of [['export-clicks', 'clicks'], ['export-instance', 'instance'], ['export-semantic', 'semantic']]) {
    $(a).href = `/api/scenes/${encodeURIComponent(id)}/export/${kind}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
    $(a).download = kind === 'clicks' ? `${id}.clicks.json` : `${id}_${kind}.txt`;
  }
  await reloadAnnotations();
  state.openedAt = state.lastObjectAt = performance.now();
  setMode('click');
  resize();
  setStatus(`${id}: ${n.toLocaleString('en')} points, ${info.segments} segments`);
  window.studio.ready = true;
}
async function fetchLabels(id, source) {
  const buffer = await api(`/api/scenes/${encodeURIComponent(id)}/labels?source=${source}`, { binary: true });
  const n = buffer.byteLength / 8;
  return { semantic: new Int32Array(buffer, 0, n), instance: new Int32Array(buffer, 4 * n, n) };
}
async function reloadAnnotations() {
  const id = state.scene.id;
  state.annotations = await api(`/api/scenes/${encodeURIComponent(id)}/annotations`);
  state.version = state.annotations.version;
  state.labels = await fetchLabels(id, 'annotation');
  renderObjects();
  recolor();
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
async function loadRefine(obj) {
  const r = await api(`${scenePath()}/objects/${obj}/refine`);
  applyRefine(r);
}
function applyRefine(r) {
  state.refine = r;
  state.version = r.version;
  const bits = Uint8Array.from(atob(r.mask), (ch) => ch.charCodeAt(0));
  const n = state.scene.points;
  state.mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) state.mask[i] = (bits[i >> 3] >> (i & 7)) & 1;
  $('refine-object').textContent = `object ${r.object}`;
  $('refine-status').textContent = `${r.clicks.length} refine click(s) · mask ${r.maskSize.toLocaleString('en')} points`;
  $('undo').disabled = !r.canUndo;
  $('redo').disabled = !r.canRedo;
  recolor();
}
async function refineClick(point, positive) {
  const t0 = performance.now();
  const r = await change(() => api(`${scenePath()}/objects/${state.selected}/refine`, { method: 'POST', body: { version: state.version, point, positive } }));
  if (!r) return;
  applyRefine(r);
  setStatus(`${positive ? 'positive' : 'negative'} click at point ${point}: mask in ${Math.round(performance.now() - t0)} ms`);
}
async function refineAction(action) {
  if (!state.selected) return;
  const r = await change(() => api(`${scenePath()}/objects/${state.selected}/refine/${action}`, { method: 'POST', body: { version: state.version } }));
  if (!r) return;
  applyRefine(r);
  if (action === 'accept') {
    await reloadAnnotations();
    setStatus(`object ${r.object}: mask of ${r.maskSize} points accepted`);
    setMode('click');
  }
}

// ---------- modes and panels ----------
function setMode(mode, obj) {
  if (mode === 'refine') {
    const target = obj ?? state.selected ?? state.annotations?.objects.at(-1)?.object;
    if (!target) { showError('Refine needs an object: click one first, or pick one in the list'); return; }
    state.selected = target;
    state.mode = 'refine';
    loadRefine(target).catch((e) => showError(e.message));
  } else {
    state.mode = 'click';
    state.selected = null; state.refine = null; state.mask = null;
  }
  $('mode-click').classList.toggle('active', state.mode === 'click');
  $('mode-refine').classList.toggle('active', state.mode === 'refine');
  $('click-panel').hidden = state.mode !== 'click';
  $('refine-panel').hidden = state.mode !== 'refine';
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
  if (state.mode === 'click' && button === 0) addObject(point);
  else if (state.mode === 'refine' && (button === 0 || button === 2)) refineClick(point, button === 0 && !e.shiftKey);
});
let hoverPending = false;
renderer.domElement.addEventListener('pointermove', (e) => {
  if (state.mode !== 'click' || !state.scene || down || hoverPending) return;
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
  if (digit && state.mode === 'click' && !e.ctrlKey) {
    const d = Number(digit[1]);
    selectClass((d === 0 ? 9 : d - 1) + (e.shiftKey ? 10 : 0));
    e.preventDefault();
  } else if (e.key === 'l' || e.key === 'L') {
    const i = state.classes.findIndex((c) => c.id === state.lastClassId);
    if (i >= 0) selectClass(i);
  } else if (e.key === 'c' || e.key === 'C' || e.key === 'Escape') {
    setMode('click');
  } else if ((e.key === 'r' || e.key === 'R') && !e.ctrlKey) {
    setMode('refine');
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
$('undo').addEventListener('click', () => refineAction('undo'));
$('redo').addEventListener('click', () => refineAction('redo'));
$('accept').addEventListener('click', () => refineAction('accept'));
$('leave-refine').addEventListener('click', () => setMode('click'));
$('color-by').addEventListener('change', (e) => {
  if (e.target.value.startsWith('gt-') && !state.gtLabels) { showError('this scene has no ground-truth labels'); e.target.value = state.colorBy; return; }
  state.colorBy = e.target.value; recolor();
});
$('point-size').addEventListener('input', (e) => { material.size = Number(e.target.value); render(); });

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
    state.classes = await api('/api/classes');
    renderClasses();
    const scenes = await loadSceneList();
    resize();
    const wanted = new URLSearchParams(location.search).get('scene');
    if (wanted && scenes.some((s) => s.id === wanted)) await openScene(wanted);
    else { setStatus(`${scenes.length} scenes: pick one`); window.studio.ready = true; }
  } catch (e) {
    showError(e.message);
  }
})();
