// The gallery (the product's only one): class chips, "Load more" in pages of 24, a "search similar" link on every
// card. The chosen class is in the address (gallery.html?label=red), so it can be linked to and survives a reload.
(function () {
  'use strict';
  var t = IR.t, el = IR.el;
  var $ = function (id) { return document.getElementById(id); };
  var PAGE = 24;

  var state = { images: [], total: 0, classes: [], label: '', loading: false, error: null };
  state.label = new URLSearchParams(window.location.search).get('label') || '';

  function load(reset) {
    if (state.loading) { return; }
    state.loading = true;
    if (reset) { state.images = []; }
    var url = 'api/gallery?limit=' + PAGE + '&offset=' + state.images.length
      + (state.label ? '&label=' + encodeURIComponent(state.label) : '');
    IR.getJson(url).then(function (res) {
      state.loading = false;
      if (!res.ok) { state.error = IR.apiMessage(res); render(); return; }
      state.error = null;
      state.images = state.images.concat(res.body.images);
      state.total = res.body.total;
      state.classes = res.body.classes;
      render();
    }).catch(function () { state.loading = false; state.error = t('search.network'); render(); });
  }

  function choose(label) {
    state.label = label;
    var q = label ? '?label=' + encodeURIComponent(label) : '';
    window.history.replaceState(null, '', window.location.pathname + q);
    load(true);
  }

  function render() {
    var chips = $('chips');
    chips.textContent = '';
    [{ name: '', label: t('gallery.all') }].concat(state.classes.map(function (c) {
      return { name: c.name, label: (c.name || '—') + ' (' + IR.number(c.count) + ')' };
    })).forEach(function (c) {
      var chip = el('button', { type: 'button', className: 'chip', 'data-label': c.name,
        'aria-pressed': String(c.name === state.label), text: c.label });
      chip.addEventListener('click', function () { choose(c.name); });
      chips.appendChild(chip);
    });
    var list = $('gallery');
    list.textContent = '';
    state.images.forEach(function (image) { list.appendChild(IR.imageCard(image)); });
    var count = $('gallery-count');
    count.className = state.error ? 'status error' : 'muted';
    count.textContent = state.error ? state.error
      : state.total === 0 ? t('gallery.none')
        : t('gallery.count', { shown: IR.number(state.images.length), total: IR.number(state.total) });
    $('more').hidden = !!state.error || state.images.length >= state.total;
  }

  IR.initSwitch();
  IR.onLanguage(render);
  $('more').addEventListener('click', function () { load(false); });
  load(true);
  // After a build the images change: start again from the first page.
  new IR.Progress(function () { load(true); });
})();
