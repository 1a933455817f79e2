// The admin page: the figures are rendered by the server (admin.jsp); this asks for the token and starts a rebuild.
(function () {
  'use strict';
  var t = IR.t;
  var $ = function (id) { return document.getElementById(id); };
  var said = null;

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
  }

  var progress = new IR.Progress(function () {
    // A finished build changes the server-rendered figures: show the new ones.
    window.location.reload();
  });

  $('reindex').addEventListener('submit', function (e) {
    e.preventDefault();
    var token = $('token').value.trim();
    if (!token) { say('admin.needToken', null, true); $('token').focus(); return; }
    $('reindex-button').disabled = true;
    fetch('api/admin/reindex', { method: 'POST', headers: { Authorization: 'Bearer ' + token, Accept: 'application/json' } })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (body) { return { status: r.status, body: body }; });
      }).then(function (res) {
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
