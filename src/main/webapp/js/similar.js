// "More like this": the images nearest to one indexed image (similar.html?id=N[&label=&minSimilarity=&topK=]), from
// GET api/images/{id}/similar. The options form reloads the page with new parameters, so every state has an address.
(function () {
  'use strict';
  var t = IR.t, el = IR.el;
  var $ = function (id) { return document.getElementById(id); };
  var OPTIONS = ['label', 'minSimilarity', 'topK'];
  var params = new URLSearchParams(window.location.search);
  var id = params.get('id');
  var form = $('options');
  var status = new IR.StatusLine('status');
  var answer = null;

  OPTIONS.forEach(function (name) {
    if (params.get(name) !== null) { form.elements[name].value = params.get(name); }
  });

  // The class list is a convenience: without it the select offers "any" only.
  IR.getJson('api/stats').then(function (res) {
    if (!res.ok) { return; }
    Object.keys(res.body.classes || {}).forEach(function (label) {
      if (label === '') { return; }
      form.elements.label.appendChild(el('option', { value: label, text: label + ' (' + IR.number(res.body.classes[label]) + ')' }));
    });
    if (params.get('label')) { form.elements.label.value = params.get('label'); }
  }).catch(function () { /* the select keeps "any" */ });

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var q = new URLSearchParams();
    if (id) { q.set('id', id); }
    OPTIONS.forEach(function (name) {
      if (form.elements[name].value !== '') { q.set(name, form.elements[name].value); }
    });
    window.location.search = q.toString();
  });

  function render() {
    var query = $('query'), list = $('results');
    query.textContent = '';
    list.textContent = '';
    if (!answer) { return; }
    var image = answer.image;
    query.appendChild(el('a', { href: IR.imageUrl(image.url), target: '_blank', rel: 'noopener' }, [
      el('img', { src: IR.imageUrl(image.url), alt: t('similar.queryAlt', { label: image.label || '—', path: image.path }) })
    ]));
    query.appendChild(el('p', { className: 'caption', text: t('similar.queryCaption',
      { path: image.path, label: image.label || t('similar.noLabel') }) }));
    answer.results.forEach(function (hit) { list.appendChild(IR.resultCard(hit)); });
    $('results-title').hidden = !answer.results.length;
  }

  IR.initSwitch();
  IR.onLanguage(render);
  new IR.Progress(null);

  if (!id) {
    status.say('similar.noId', null, true);
    return;
  }
  var api = new URLSearchParams();
  OPTIONS.forEach(function (name) { if (params.get(name)) { api.set(name, params.get(name)); } });
  status.say('search.searching');
  IR.getJson('api/images/' + encodeURIComponent(id) + '/similar?' + api.toString()).then(function (res) {
    if (!res.ok) { status.say('search.failed', { message: IR.apiMessage(res) }, true); return; }
    answer = res.body;
    render();
    status.say('similar.done', { count: answer.results.length, ms: IR.number(answer.tookMs) });
  }).catch(function () { status.say('search.network', null, true); });
})();
