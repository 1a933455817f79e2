// Shared by every page: the language (i18n), the progress bar fed by Server-Sent Events, small DOM helpers.
// No build step and no external resource: plain ES5-level browser JavaScript, relative URLs only.
(function () {
  'use strict';
  var STRINGS = window.IR_STRINGS || {};
  var KEY = 'imageRetrieval.lang';
  var listeners = [];

  // The stored choice first, then the browser's languages (what it sends as Accept-Language), then English.
  function pickLanguage() {
    var stored = null;
    try { stored = window.localStorage.getItem(KEY); } catch (e) { /* storage disabled */ }
    if (stored && STRINGS[stored]) { return stored; }
    var wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
    for (var i = 0; i < wanted.length; i++) {
      var base = String(wanted[i]).toLowerCase().split('-')[0];
      if (STRINGS[base]) { return base; }
    }
    return 'en';
  }

  var lang = pickLanguage();

  function t(key, params) {
    var table = STRINGS[lang] || STRINGS.en;
    var text = table[key] !== undefined ? table[key] : (STRINGS.en[key] !== undefined ? STRINGS.en[key] : key);
    return text.replace(/\{(\w+)\}/g, function (m, name) {
      return params && params[name] !== undefined ? String(params[name]) : m;
    });
  }

  // Translates the static markup: data-i18n (text), data-i18n-alt, data-i18n-label (aria-label), data-i18n-title,
  // data-i18n-placeholder.
  function apply(root) {
    root = root || document;
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    each(root.querySelectorAll('[data-i18n]'), function (el) { el.textContent = t(el.getAttribute('data-i18n')); });
    each(root.querySelectorAll('[data-i18n-alt]'), function (el) { el.alt = t(el.getAttribute('data-i18n-alt')); });
    each(root.querySelectorAll('[data-i18n-label]'), function (el) {
      el.setAttribute('aria-label', t(el.getAttribute('data-i18n-label')));
    });
    each(root.querySelectorAll('[data-i18n-title]'), function (el) { el.title = t(el.getAttribute('data-i18n-title')); });
    each(root.querySelectorAll('[data-i18n-placeholder]'), function (el) {
      el.placeholder = t(el.getAttribute('data-i18n-placeholder'));
    });
    var title = document.querySelector('meta[name="ir-title"]');
    document.title = t(title ? title.content : 'app.title');
  }

  function setLanguage(next) {
    if (!STRINGS[next]) { return; }
    lang = next;
    try { window.localStorage.setItem(KEY, next); } catch (e) { /* not remembered, still switched */ }
    apply();
    listeners.forEach(function (fn) { fn(lang); });
  }

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') { node.textContent = attrs[k]; } else if (k === 'className') { node.className = attrs[k]; }
      else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { node.appendChild(c); });
    return node;
  }

  function number(n, digits) {
    return Number(n).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en', {
      maximumFractionDigits: digits === undefined ? 0 : digits,
      minimumFractionDigits: digits === undefined ? 0 : digits
    });
  }

  function date(iso) {
    if (!iso) { return '—'; }
    var d = new Date(iso);
    return isNaN(d.getTime()) ? iso : d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en');
  }

  // The API's image URLs are absolute paths that already carry the context root ("/app/dataset/x.jpg"): resolved
  // against the page's own address they name the right file under any context root. Never strip or prepend.
  function imageUrl(url) { return new URL(url, document.baseURI).href; }

  // GET a JSON answer: resolves {ok, status, body}; body is {} when the answer is not JSON (a proxy's page).
  function getJson(url) {
    return fetch(url, { headers: { Accept: 'application/json' } }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        return { ok: r.ok, status: r.status, body: body };
      });
    });
  }

  // The API's sentence for a failed answer, verbatim (it names the problem), else the status.
  function apiMessage(res) {
    return res.body && (res.body.message || res.body.error) ? res.body.message || res.body.error : 'HTTP ' + res.status;
  }

  function percent(similarity) { return (Math.max(0, similarity) * 100).toFixed(1); }

  // "Search similar" under a card: similar.html asks GET api/images/{id}/similar.
  function similarLink(image) {
    return el('a', { className: 'similar', href: 'similar.html?id=' + encodeURIComponent(image.id),
      text: t('result.similar') });
  }

  // One card for a search hit (home page and similar.html): thumbnail, rank, similarity, label, "search similar".
  function resultCard(hit) {
    var pct = percent(hit.similarity);
    var fill = el('span', { className: 'fill' });
    fill.style.width = Math.max(0, Math.min(100, hit.similarity * 100)) + '%'; // CSSOM: allowed by the CSP
    return el('li', { className: 'card', 'data-path': hit.path, 'data-label': hit.label,
      'data-similarity': String(hit.similarity) }, [
      el('a', { href: imageUrl(hit.url), target: '_blank', rel: 'noopener', title: t('result.open', { path: hit.path }) }, [
        el('img', { src: imageUrl(hit.url), loading: 'lazy', width: '320', height: '240',
          alt: t('result.alt', { rank: hit.rank, label: hit.label || '—', path: hit.path, percent: pct }) })
      ]),
      el('div', { className: 'meta' }, [
        el('span', { className: 'rank', text: t('result.rank', { rank: hit.rank }) }),
        el('span', { className: 'label', text: hit.label || '—' }),
        el('span', { className: 'sim', text: t('result.similarity', { percent: pct }) })
      ]),
      el('span', { className: 'simbar', role: 'presentation' }, [fill]),
      similarLink(hit)
    ]);
  }

  // One card for a gallery image: thumbnail, label, "search similar".
  function imageCard(image) {
    return el('li', { className: 'card', 'data-path': image.path, 'data-label': image.label }, [
      el('a', { href: imageUrl(image.url), target: '_blank', rel: 'noopener', title: t('result.open', { path: image.path }) }, [
        el('img', { src: imageUrl(image.url), loading: 'lazy', width: '320', height: '240',
          alt: t('gallery.alt', { label: image.label || '—', path: image.path }) })
      ]),
      el('div', { className: 'meta' }, [el('span', { className: 'label', text: image.label || '—' })]),
      similarLink(image)
    ]);
  }

  // A status line that keeps its message key, so a language switch re-renders it.
  function StatusLine(id) {
    this.node = document.getElementById(id);
    this.said = null;
    var self = this;
    listeners.push(function () { self.render(); });
  }
  StatusLine.prototype.say = function (key, params, isError) {
    this.said = { key: key, params: params, error: !!isError };
    this.render();
  };
  StatusLine.prototype.clear = function () { this.said = null; this.render(); };
  StatusLine.prototype.render = function () {
    var s = this.said;
    this.node.textContent = s ? t(s.key, s.params) : '';
    this.node.className = 'status' + (s && s.error ? ' error' : '');
  };

  // The progress bar: an EventSource on api/index/progress. The server sends "progress" events while a build runs,
  // then "done", or a single "idle", and closes with retry 5000, so the browser reconnects every 5 s by itself.
  function Progress(onDone) {
    this.box = document.getElementById('progress');
    this.bar = document.getElementById('progress-bar');
    this.text = document.getElementById('progress-text');
    this.onDone = onDone;
    this.last = null;
    this.source = null;
    this.connect();
    var self = this;
    listeners.push(function () { if (self.last) { self.show(self.last); } });
  }
  Progress.prototype.connect = function () {
    if (!window.EventSource || !this.box) { return; }
    if (this.source) { this.source.close(); }
    var self = this;
    var source = new EventSource('api/index/progress');
    this.source = source;
    source.addEventListener('progress', function (ev) { self.show(JSON.parse(ev.data)); });
    source.addEventListener('done', function (ev) {
      self.hide();
      if (self.onDone) { self.onDone(JSON.parse(ev.data)); }
    });
    source.addEventListener('idle', function () { self.hide(); });
  };
  Progress.prototype.show = function (p) {
    this.last = p;
    var percent = p.total > 0 ? Math.min(100, Math.round(100 * p.done / p.total)) : 0;
    this.bar.value = percent;
    this.bar.setAttribute('aria-valuetext', percent + '%');
    this.text.textContent = t('progress.text', {
      done: number(p.done), total: number(p.total), rate: number(p.imagesPerSecond, 1), eta: number(p.etaSeconds)
    });
    this.box.hidden = false;
  };
  Progress.prototype.hide = function () {
    this.last = null;
    this.box.hidden = true;
  };

  /** The navigation is one shared fragment (WEB-INF/layout/top.jspf): each page names itself on <body data-page>. */
  function markCurrentPage() {
    var current = document.body.getAttribute('data-page');
    each(document.querySelectorAll('header.top nav a[data-page]'), function (a) {
      if (a.getAttribute('data-page') === current) {
        a.setAttribute('aria-current', 'page');
      } else {
        a.removeAttribute('aria-current');
      }
    });
  }

  function initSwitch() {
    markCurrentPage();
    var button = document.getElementById('lang-switch');
    if (button) {
      button.addEventListener('click', function () { setLanguage(lang === 'zh' ? 'en' : 'zh'); });
    }
    apply();
  }

  window.IR = {
    t: t, el: el, number: number, date: date, imageUrl: imageUrl, apply: apply, Progress: Progress,
    getJson: getJson, apiMessage: apiMessage, percent: percent, resultCard: resultCard, imageCard: imageCard,
    StatusLine: StatusLine,
    lang: function () { return lang; }, setLanguage: setLanguage,
    onLanguage: function (fn) { listeners.push(fn); }, initSwitch: initSwitch
  };
})();
