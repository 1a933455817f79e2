// The admin page: the figures are rendered by the server (admin.jsp); this asks for the token, starts a rebuild,
// and lists the last build's failed files (their names and reasons are admin-only: fetched with the token).
(function () {
  'use strict';
  var t = IR.t;
  var $ = function (id) { return document.getElementById(id); };
  var said = null;
  var MAX_SHOWN = 50; // the API lists up to 100; a page of 50 stays readable, the rest are counted
  var failures = null; // lastBuild from GET api/admin/reindex, once fetched
  var failuresSaid = null;

  function say(key, params, isError) {
    said = { key: key, params: params, error: !!isError };
    render();
  }
  function render() {
    var line = $('admin-status');
    line.textContent = said ? t(said.key, said.params) : '';
    line.className = 'status' + (said && said.error ? ' error' : '');
    Array.prototype.forEach.call(document.querySelectorAll('[data-iso]'), function (dd) {
      dd.textContent = IR.date(dd.getAttribute('data-iso'));
    });
    renderFailures();
  }

  function renderFailures() {
    var list = $('failures');
    if (!list) { return; } // the last build had none: the server rendered no panel
    var line = $('failures-status');
    line.textContent = failuresSaid ? t(failuresSaid.key, failuresSaid.params) : '';
    line.className = 'status' + (failuresSaid && failuresSaid.error ? ' error' : '');
    list.textContent = '';
    list.hidden = !failures || !failures.failed;
    if (list.hidden) { return; }
    // By name, so the list reads the same after every build (the builder lists them as they fail, in parallel).
    var shown = (failures.failures || []).slice().sort(function (a, b) {
      return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
    }).slice(0, MAX_SHOWN);
    shown.forEach(function (f) {
      list.appendChild(IR.el('li', {}, [IR.el('code', { text: f.path }), IR.el('span', { text: ' — ' + f.reason })]));
    });
    if (failures.failed > shown.length) {
      list.appendChild(IR.el('li', { className: 'more', text: t('admin.failuresMore',
        { count: IR.number(failures.failed - shown.length) }) }));
    }
  }

  function token() {
    var value = $('token').value.trim();
    if (!value) { say('admin.needToken', null, true); $('token').focus(); }
    return value;
  }

  function sendWithToken(method, value) {
    return fetch('api/admin/reindex', { method: method,
      headers: { Authorization: 'Bearer ' + value, Accept: 'application/json' } })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (body) { return { status: r.status, body: body }; });
      });
  }

  var failuresButton = $('failures-button');
  if (failuresButton) {
    failuresButton.addEventListener('click', function () {
      var value = token();
      if (!value) { return; }
      failuresButton.disabled = true;
      sendWithToken('GET', value).then(function (res) {
        failuresButton.disabled = false;
        var message = res.body.message || res.body.error || '';
        if (res.status === 200 && res.body.lastBuild) {
          failures = res.body.lastBuild;
          failuresSaid = failures.failed ? { key: 'admin.failuresCount', params: { count: IR.number(failures.failed) } }
            : { key: 'admin.failuresNone' };
        } else if (res.status === 401 || res.status === 403) {
          failures = null;
          failuresSaid = { key: 'admin.e' + res.status, params: { message: message }, error: true };
        } else {
          failures = null;
          failuresSaid = { key: 'admin.eFailures', params: { status: res.status, message: message }, error: true };
        }
        renderFailures();
      }).catch(function () {
        failuresButton.disabled = false;
        failuresSaid = { key: 'search.network', error: true };
        renderFailures();
      });
    });
  }

  var progress = new IR.Progress(function () {
    // A finished build changes the server-rendered figures: show the new ones.
    window.location.reload();
  });

  $('reindex').addEventListener('submit', function (e) {
    e.preventDefault();
    var value = token();
    if (!value) { return; }
    $('reindex-button').disabled = true;
    sendWithToken('POST', value).then(function (res) {
        $('reindex-button').disabled = false;
        var message = res.body.message || res.body.error || '';
        if (res.status === 202) {
          say('admin.started');
          progress.connect(); // see the build at once instead of at the stream's next reconnect
        } else if ([401, 403, 409, 503].indexOf(res.status) >= 0) {
          say('admin.e' + res.status, { message: message }, true);
        } else {
          say('admin.eOther', { status: res.status, message: message }, true);
        }
      }).catch(function () { $('reindex-button').disabled = false; say('search.network', null, true); });
  });

  IR.initSwitch();
  IR.onLanguage(render);
  render();
})();
