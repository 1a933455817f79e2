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

  // The API answers absolute paths that already carry the context root (e.g. "/app/dataset/x.jpg"): use as given.
  function imageUrl(url) { return url; }

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

  function initSwitch() {
    var button = document.getElementById('lang-switch');
    if (button) {
      button.addEventListener('click', function () { setLanguage(lang === 'zh' ? 'en' : 'zh'); });
    }
    apply();
  }

  window.IR = {
    t: t, el: el, number: number, date: date, imageUrl: imageUrl, apply: apply, Progress: Progress,
    lang: function () { return lang; }, setLanguage: setLanguage,
    onLanguage: function (fn) { listeners.push(fn); }, initSwitch: initSwitch
  };
})();
