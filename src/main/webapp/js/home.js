// The home page: live statistics and search by image (drop zone or file picker) with result cards.
(function () {
  'use strict';
  var t = IR.t, el = IR.el;
  var $ = function (id) { return document.getElementById(id); };

  var state = { stats: null, statsError: null, file: null, search: null };
  var status = new IR.StatusLine('status');

  // ---- statistics ----
  function loadStats() {
    IR.getJson('api/stats').then(function (res) {
      if (!res.ok) { state.stats = null; state.statsError = IR.apiMessage(res); }
      else { state.stats = res.body; state.statsError = null; }
      renderStats();
    }).catch(function () { state.stats = null; state.statsError = t('search.network'); renderStats(); });
  }
  function renderStats() {
    var s = state.stats, chart = $('class-chart');
    chart.textContent = '';
    if (!s) {
      $('stats').hidden = true;
      $('stats-status').hidden = false;
      $('stats-status').textContent = state.statsError ? t('stats.unavailable', { message: state.statsError })
        : t('stats.loading');
      return;
    }
    $('stats-status').hidden = true;
    $('stats').hidden = false;
    $('text-row').hidden = !s.textSearch;
    $('stat-images').textContent = IR.number(s.images);
    $('stat-dimension').textContent = IR.number(s.dimension);
    $('stat-device').textContent = s.device || '—';
    $('stat-generated').textContent = IR.date(s.generatedAt);
    var names = Object.keys(s.classes || {});
    var max = names.reduce(function (m, n) { return Math.max(m, s.classes[n]); }, 1);
    names.forEach(function (name) {
      var count = s.classes[name];
      var bar = el('span', { className: 'bar' });
      bar.style.width = Math.max(2, Math.round(100 * count / max)) + '%'; // CSSOM: allowed by the CSP
      // Each class name opens the one gallery filtered to it.
      var label = name
        ? el('a', { className: 'name', href: 'gallery.html?label=' + encodeURIComponent(name), text: name,
          title: t('stats.openClass', { name: name }) })
        : el('span', { className: 'name', text: '—' });
      chart.appendChild(el('li', { 'aria-label': t('stats.classBar', { name: name || '—', count: count }),
        'data-class': name }, [
        label,
        el('span', { className: 'track' }, [bar]),
        el('span', { className: 'count', text: IR.number(count) })
      ]));
    });
  }

  // ---- search ----
  function choose(file) {
    if (!file) { return; }
    state.file = file;
    var preview = $('preview');
    if (preview.src) { URL.revokeObjectURL(preview.src); }
    preview.removeAttribute('src');
    preview.hidden = true;
    // Preview only what the browser can draw; the server still judges the bytes (and names the problem).
    if (/^image\//.test(file.type)) {
      preview.src = URL.createObjectURL(file);
      preview.alt = t('search.preview', { name: file.name });
    }
    $('again').disabled = false;
    state.lastQuery = 'image';
    search();
  }

  // The filters of the options row, for either kind of query; only set ones are sent (the API's defaults apply).
  function options() {
    var o = { topK: $('topk').value };
    if ($('label-filter').value.trim()) { o.label = $('label-filter').value.trim(); }
    if ($('min-similarity').value !== '') { o.minSimilarity = $('min-similarity').value; }
    return o;
  }

  function search() {
    if (state.lastQuery === 'text') { textSearch(); return; }
    if (!state.file) { return; }
    state.lastQuery = 'image';
    var data = new FormData();
    data.append('image', state.file, state.file.name);
    data.append('topK', $('topk').value);
    // optional filters: only sent when set, so the API's defaults apply otherwise
    if ($('label-filter').value.trim()) { data.append('label', $('label-filter').value.trim()); }
    if ($('min-similarity').value !== '') { data.append('minSimilarity', $('min-similarity').value); }
    state.search = null;
    renderResults();
    status.say('search.uploading', { percent: 0 });
    var xhr = new XMLHttpRequest();
    xhr.open('POST', 'api/search');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) { status.say('search.uploading', { percent: Math.round(100 * e.loaded / e.total) }); }
    });
    // Once the bytes are out, the server decodes, embeds and ranks.
    xhr.upload.addEventListener('load', function () { status.say('search.searching'); });
    xhr.addEventListener('load', function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON: a proxy's page */ }
      if (xhr.status === 200 && body && body.results) {
        state.search = body;
        renderResults();
        status.say(body.results.length ? 'search.done' : 'search.none',
          { ms: IR.number(body.tookMs), count: body.results.length });
      } else {
        // The API's own sentence, verbatim: it names the problem (not an image, too large, not ready...).
        status.say('search.failed', { message: IR.apiMessage({ status: xhr.status, body: body }) }, true);
      }
    });
    xhr.addEventListener('error', function () { status.say('search.network', null, true); });
    xhr.send(data);
  }

  // Text to image: GET api/search?q=..., the same JSON and the same cards as an image query.
  function textSearch() {
    var q = $('text-query').value.trim();
    if (!q) { status.say('search.textEmpty', null, true); return; }
    state.lastQuery = 'text';
    $('again').disabled = false;
    var params = new URLSearchParams(options());
    params.set('q', q);
    state.search = null;
    renderResults();
    status.say('search.searching');
    fetch('api/search?' + params.toString(), { headers: { Accept: 'application/json' } }).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (body) { return { status: r.status, body: body }; });
    }).then(function (res) {
      if (res.status === 200 && res.body && res.body.results) {
        state.search = res.body;
        renderResults();
        status.say(res.body.results.length ? 'search.done' : 'search.none',
          { ms: IR.number(res.body.tookMs), count: res.body.results.length });
      } else {
        status.say('search.failed', { message: IR.apiMessage(res) }, true);
      }
    }).catch(function () { status.say('search.network', null, true); });
  }

  function renderResults() {
    var list = $('results');
    list.textContent = '';
    var s = state.search;
    $('results-title').hidden = !s || !s.results.length;
    if (!s) { return; }
    s.results.forEach(function (hit) { list.appendChild(IR.resultCard(hit)); });
  }

  function initSearch() {
    var drop = $('drop'), input = $('file'), preview = $('preview');
    preview.addEventListener('load', function () { preview.hidden = false; });
    preview.addEventListener('error', function () { preview.hidden = true; });
    input.addEventListener('change', function () { choose(input.files[0]); });
    drop.addEventListener('click', function () { input.click(); });
    drop.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ' || e.key === 'Spacebar') { e.preventDefault(); input.click(); }
    });
    ['dragenter', 'dragover'].forEach(function (type) {
      drop.addEventListener(type, function (e) {
        e.preventDefault();
        drop.classList.add('over');
        $('drop-text').textContent = t('search.dropActive');
      });
    });
    ['dragleave', 'drop'].forEach(function (type) {
      drop.addEventListener(type, function (e) {
        e.preventDefault();
        drop.classList.remove('over');
        $('drop-text').textContent = t('search.drop');
      });
    });
    drop.addEventListener('drop', function (e) {
      var files = e.dataTransfer && e.dataTransfer.files;
      if (files && files.length) { choose(files[0]); } else { status.say('search.notFile', null, true); }
    });
    $('again').disabled = true; // enabled once there is an image (without script the form itself submits)
    $('search-form').addEventListener('submit', function (e) { e.preventDefault(); search(); });
    $('topk').addEventListener('change', function () { if (state.lastQuery) { search(); } });
    $('text-go').addEventListener('click', textSearch);
    $('text-query').addEventListener('keydown', function (e) {
      // Enter searches by text (not the form's image search, which an implicit submit would run)
      if (e.key === 'Enter') { e.preventDefault(); textSearch(); }
    });
  }

  IR.initSwitch();
  IR.onLanguage(function () {
    renderStats(); renderResults();
    if (state.file) { $('preview').alt = t('search.preview', { name: state.file.name }); }
  });
  initSearch();
  loadStats();
  // After a build the counts change: reload them.
  new IR.Progress(function () { loadStats(); });
})();
