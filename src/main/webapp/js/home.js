// The home page: live statistics, search by image (drop zone or file picker), result cards and the gallery.
(function () {
  'use strict';
  var t = IR.t, el = IR.el;
  var $ = function (id) { return document.getElementById(id); };
  var PAGE = 24;

  var state = {
    stats: null, statsError: null,
    file: null, search: null, status: null,       // status: {key, params, error}
    gallery: [], galleryTotal: 0, label: '', classes: [], galleryLoading: false
  };

  // ---- status line ----
  function say(key, params, isError) {
    state.status = { key: key, params: params, error: !!isError };
    renderStatus();
  }
  function renderStatus() {
    var s = state.status, line = $('status');
    line.textContent = s ? t(s.key, s.params) : '';
    line.className = 'status' + (s && s.error ? ' error' : '');
  }

  // ---- statistics ----
  function loadStats() {
    fetch('api/stats', { headers: { Accept: 'application/json' } }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (res) {
      if (!res.ok) { state.stats = null; state.statsError = res.body.message || res.body.error; }
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
    $('stat-images').textContent = IR.number(s.images);
    $('stat-dimension').textContent = IR.number(s.dimension);
    $('stat-device').textContent = s.device || '—';
    $('stat-generated').textContent = IR.date(s.generatedAt);
    var names = Object.keys(s.classes || {});
    var max = names.reduce(function (m, n) { return Math.max(m, s.classes[n]); }, 1);
    names.forEach(function (name) {
      var count = s.classes[name];
      var bar = el('span', { className: 'bar' });
      bar.style.width = Math.max(2, Math.round(100 * count / max)) + '%';
      chart.appendChild(el('li', { 'aria-label': t('stats.classBar', { name: name || '—', count: count }),
        'data-class': name }, [
        el('span', { className: 'name', text: name || '—' }),
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
      preview.onerror = function () { preview.hidden = true; };
      preview.onload = function () { preview.hidden = false; };
      preview.src = URL.createObjectURL(file);
      preview.alt = t('search.preview', { name: file.name });
    }
    $('again').disabled = false;
    search();
  }

  function search() {
    if (!state.file) { return; }
    var data = new FormData();
    data.append('image', state.file, state.file.name);
    data.append('topK', $('topk').value);
    // optional filters: only sent when set, so the API's defaults apply otherwise
    if ($('label-filter').value.trim()) { data.append('label', $('label-filter').value.trim()); }
    if ($('min-similarity').value !== '') { data.append('minSimilarity', $('min-similarity').value); }
    state.search = null;
    renderResults();
    say('search.uploading', { percent: 0 });
    var xhr = new XMLHttpRequest();
    xhr.open('POST', 'api/search');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) { say('search.uploading', { percent: Math.round(100 * e.loaded / e.total) }); }
    };
    // Once the bytes are out, the server decodes, embeds and ranks.
    xhr.upload.onload = function () { say('search.searching'); };
    xhr.onload = function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON: a proxy's page */ }
      if (xhr.status === 200 && body && body.results) {
        state.search = body;
        renderResults();
        say(body.results.length ? 'search.done' : 'search.none', { ms: IR.number(body.tookMs), count: body.results.length });
      } else {
        // The API's own sentence, verbatim: it names the problem (not an image, too large, not ready...).
        var message = body && (body.message || body.error) ? body.message || body.error : 'HTTP ' + xhr.status;
        say('search.failed', { message: message }, true);
      }
    };
    xhr.onerror = function () { say('search.network', null, true); };
    xhr.send(data);
  }

  function percent(similarity) { return (Math.max(0, similarity) * 100).toFixed(1); }

  /** "More like this" for an indexed image (similar.html asks GET api/images/{id}/similar). */
  function similarLink(image) {
    return el('a', { className: 'similar', href: 'similar.html?id=' + encodeURIComponent(image.id),
      text: t('result.similar') });
  }

  function renderResults() {
    var list = $('results');
    list.textContent = '';
    var s = state.search;
    $('results-title').hidden = !s || !s.results.length;
    if (!s) { return; }
    s.results.forEach(function (hit) {
      var pct = percent(hit.similarity);
      var img = el('img', { src: IR.imageUrl(hit.url), loading: 'lazy', width: '320', height: '240',
        alt: t('result.alt', { rank: hit.rank, label: hit.label || '—', path: hit.path, percent: pct }) });
      var fill = el('span', { className: 'fill' });
      fill.style.width = Math.max(0, Math.min(100, hit.similarity * 100)) + '%';
      list.appendChild(el('li', { className: 'card', 'data-path': hit.path, 'data-label': hit.label,
        'data-similarity': String(hit.similarity) }, [
        el('a', { href: IR.imageUrl(hit.url), target: '_blank', rel: 'noopener',
          title: t('result.open', { path: hit.path }) }, [img]),
        el('div', { className: 'meta' }, [
          el('span', { className: 'rank', text: t('result.rank', { rank: hit.rank }) }),
          el('span', { className: 'label', text: hit.label || '—' }),
          el('span', { className: 'sim', text: t('result.similarity', { percent: pct }) })
        ]),
        el('span', { className: 'simbar', role: 'presentation' }, [fill]),
        similarLink(hit)
      ]));
    });
  }

  function initSearch() {
    var drop = $('drop'), input = $('file');
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
      if (files && files.length) { choose(files[0]); } else { say('search.notFile', null, true); }
    });
    $('again').disabled = true; // enabled once there is an image (without script the form itself submits)
    $('search-form').addEventListener('submit', function (e) { e.preventDefault(); search(); });
    $('topk').addEventListener('change', function () { if (state.file) { search(); } });
  }

  // ---- gallery ----
  function loadGallery(reset) {
    if (state.galleryLoading) { return; }
    state.galleryLoading = true;
    if (reset) { state.gallery = []; }
    var url = 'api/gallery?limit=' + PAGE + '&offset=' + state.gallery.length
      + (state.label ? '&label=' + encodeURIComponent(state.label) : '');
    fetch(url, { headers: { Accept: 'application/json' } }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (res) {
      state.galleryLoading = false;
      if (!res.ok) { $('gallery-count').textContent = res.body.message || res.body.error; return; }
      state.gallery = state.gallery.concat(res.body.images);
      state.galleryTotal = res.body.total;
      state.classes = res.body.classes;
      renderGallery();
    }).catch(function () { state.galleryLoading = false; $('gallery-count').textContent = t('search.network'); });
  }

  function renderGallery() {
    var chips = $('chips');
    chips.textContent = '';
    [{ name: '', label: t('gallery.all') }].concat(state.classes.map(function (c) {
      return { name: c.name, label: (c.name || '—') + ' (' + IR.number(c.count) + ')' };
    })).forEach(function (c) {
      var chip = el('button', { type: 'button', className: 'chip', 'data-label': c.name,
        'aria-pressed': String(c.name === state.label), text: c.label });
      chip.addEventListener('click', function () { state.label = c.name; loadGallery(true); });
      chips.appendChild(chip);
    });
    var list = $('gallery');
    list.textContent = '';
    state.gallery.forEach(function (img) {
      list.appendChild(el('li', { className: 'card', 'data-path': img.path, 'data-label': img.label }, [
        el('a', { href: IR.imageUrl(img.url), target: '_blank', rel: 'noopener',
          title: t('result.open', { path: img.path }) }, [
          el('img', { src: IR.imageUrl(img.url), loading: 'lazy', width: '320', height: '240',
            alt: t('gallery.alt', { label: img.label || '—', path: img.path }) })
        ]),
        el('div', { className: 'meta' }, [el('span', { className: 'label', text: img.label || '—' })]),
        similarLink(img)
      ]));
    });
    $('gallery-count').textContent = t('gallery.count', { shown: IR.number(state.gallery.length),
      total: IR.number(state.galleryTotal) });
    $('more').hidden = state.gallery.length >= state.galleryTotal;
  }

  IR.initSwitch();
  IR.onLanguage(function () {
    renderStats(); renderStatus(); renderResults(); renderGallery();
    if (state.file) { $('preview').alt = t('search.preview', { name: state.file.name }); }
  });
  initSearch();
  $('more').addEventListener('click', function () { loadGallery(false); });
  loadStats();
  loadGallery(true);
  // After a build the counts and the gallery change: reload both.
  new IR.Progress(function () { loadStats(); loadGallery(true); });
})();
