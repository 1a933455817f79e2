// Retrieval quality (GET api/evaluation): overall and per-class P@1, P@5, P@10, mAP as CSS bars, and the top-1
// confusion table. Drawn with plain DOM and CSS (no chart library); sizes and shades through the CSSOM, which the
// Content-Security-Policy allows (style attributes in markup it would not).
(function () {
  'use strict';
  var t = IR.t, el = IR.el;
  var $ = function (id) { return document.getElementById(id); };
  var METRICS = [['p@1', 'P@1'], ['p@5', 'P@5'], ['p@10', 'P@10'], ['map', 'mAP']];
  var status = new IR.StatusLine('status');
  var data = null;

  function fixed(v) { return IR.number(v, 3); }

  function render() {
    var overall = $('overall'), legend = $('legend'), chart = $('chart'), confusion = $('confusion');
    [overall, legend, chart, confusion].forEach(function (n) { n.textContent = ''; });
    if (!data) { return; }
    var e = data;
    status.say(e.unlabelled ? 'eval.summaryUnlabelled' : 'eval.summary', {
      images: IR.number(e.images), queries: IR.number(e.queries), unlabelled: IR.number(e.unlabelled || 0),
      when: IR.date(e.generatedAt), ms: IR.number(e.tookMs)
    });
    overall.textContent = t('eval.overall', { values: METRICS.map(function (m) {
      return m[1] + ' ' + fixed(e.overall[m[0]]);
    }).join(', ') });

    METRICS.forEach(function (m, i) {
      legend.appendChild(el('span', {}, [el('i', { className: 'm' + i }), document.createTextNode(m[1])]));
    });

    Object.keys(e.perClass).forEach(function (label) {
      var group = el('div', { className: 'eval-class', 'data-class': label }, [el('div', { className: 'name', text: label })]);
      METRICS.forEach(function (m, i) {
        var v = e.perClass[label][m[0]];
        var bar = el('div', { className: 'bar m' + i, title: label + ' ' + m[1] + ' ' + fixed(v) });
        bar.style.width = (100 * Math.max(0, Math.min(1, v))) + '%';
        group.appendChild(el('div', { className: 'row' }, [
          el('span', { text: m[1] }), el('div', { className: 'track' }, [bar]), el('span', { className: 'value', text: fixed(v) })
        ]));
      });
      chart.appendChild(group);
    });

    var labels = Object.keys(e.confusion);
    var head = el('tr', {}, [el('th', { className: 'rowhead', scope: 'col', text: t('eval.corner') })]);
    labels.forEach(function (l) { head.appendChild(el('th', { scope: 'col', text: l })); });
    var table = el('table', { className: 'confusion' }, [el('thead', {}, [head])]);
    var body = el('tbody');
    labels.forEach(function (row) {
      var tr = el('tr', {}, [el('th', { className: 'rowhead', scope: 'row', text: row })]);
      var counts = e.confusion[row];
      var total = Object.keys(counts).reduce(function (s, k) { return s + counts[k]; }, 0);
      labels.forEach(function (col) {
        var n = counts[col] || 0;
        var td = el('td', { text: IR.number(n) });
        // Shade by the share of the row: the diagonal should be dark green, the rest light.
        if (n > 0) {
          td.style.backgroundColor = 'rgba(' + (row === col ? '84,162,75,' : '228,87,86,') + (0.1 + 0.8 * n / total) + ')';
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    confusion.appendChild(table);
  }

  function load() {
    status.say('eval.computing');
    IR.getJson('api/evaluation').then(function (res) {
      if (!res.ok) { data = null; render(); status.say('eval.failed', { message: IR.apiMessage(res) }, true); return; }
      data = res.body;
      render();
    }).catch(function () { status.say('search.network', null, true); });
  }

  IR.initSwitch();
  IR.onLanguage(render);
  load();
  // A finished build changes the figures: compute them again.
  new IR.Progress(load);
})();
