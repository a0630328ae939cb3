// Haven's desk: the idle warning and lock, the quick lock (Shift three times), the page
// blanked when it comes back from the browser's cache, and names shown on request.
// No inline script anywhere: the Content-Security-Policy allows only this file.
(function () {
  'use strict';
  var body = document.body;
  if (!body) { return; }
  var csrf = body.getAttribute('data-csrf') || '';
  var warnAfter = parseInt(body.getAttribute('data-idle-warning') || '0', 10) * 1000;
  var lockAfter = parseInt(body.getAttribute('data-idle-lock') || '0', 10) * 1000;
  var signedIn = lockAfter > 0;

  // A page restored from the back-forward cache must ask the server again (it may be
  // locked or signed out by now): never show the old one.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) { window.location.reload(); }
  });

  if (signedIn) {
    var last = Date.now();
    var lastTouch = Date.now();
    var locking = false;
    var warning = document.getElementById('idle-warning');

    var post = function (path) {
      return fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf }, redirect: 'manual' });
    };

    // Other tabs of this desk: the tab that locks or signs out tells them, and each blanks
    // at once. Nothing is kept in storage; the message carries no data.
    var channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('haven-desk') : null;
    var tell = function (what) { if (channel) { try { channel.postMessage(what); } catch (e) { /* closed */ } } };

    // The page goes and the tab asks the server where it stands (/locked sends a signed-out
    // browser on to /sign-in).
    var blank = function () {
      if (locking) { return; }
      locking = true;
      document.documentElement.replaceChildren();
      window.location.replace('/locked');
    };

    // Blank first, then tell the server: nothing of the page stays in the DOM even if the
    // request is slow or fails; the server locks on the next request anyway if idle.
    var lockNow = function () {
      if (locking) { return; }
      locking = true;
      document.documentElement.replaceChildren();
      tell('lock');
      var done = function () { window.location.replace('/locked'); };
      post('/lock').then(done, done);
    };

    if (channel) {
      channel.onmessage = function (event) {
        if (event.data === 'lock' || event.data === 'sign-out') { blank(); }
      };
    }
    // Signing out in this tab blanks the others too.
    document.addEventListener('submit', function (event) {
      var form = event.target;
      if (form && (form.id === 'sign-out' || form.id === 'lock')) { tell(form.id === 'lock' ? 'lock' : 'sign-out'); }
    }, true);

    // Anything but 204 (409 locked or signed out, 403 an old token, 0 a redirect, a network
    // failure) means this page must not stay on screen.
    var touch = function () {
      lastTouch = Date.now();
      post('/touch').then(function (r) { if (r.status !== 204) { blank(); } }, blank);
    };
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'visible') { touch(); }
    });
    window.addEventListener('focus', touch);

    var activity = function () {
      if (locking) { return; }
      last = Date.now();
      if (warning && !warning.hidden) { warning.hidden = true; }
      // Keep the server's idle clock in step with real work on this page, at most once a minute.
      if (Date.now() - lastTouch > 60000) { touch(); }
    };
    ['keydown', 'mousedown', 'mousemove', 'touchstart', 'wheel', 'input'].forEach(function (type) {
      document.addEventListener(type, activity, { passive: true, capture: true });
    });

    window.setInterval(function () {
      var idle = Date.now() - last;
      if (idle >= lockAfter) { lockNow(); }
      else if (idle >= warnAfter && warning && warning.hidden) { warning.hidden = false; }
    }, 1000);

    // Shift pressed three times within 1.5 s: lock at once (someone walked in). Only a Shift
    // pressed and released alone counts: the Shift of a capital letter ("Trần Văn Bình") is
    // held while another key goes down, and any other key clears the count, so typing names
    // fast never locks the desk.
    var shifts = [];
    var shiftAlone = false;
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Shift') {
        if (!event.repeat) { shiftAlone = true; }
        return;
      }
      shiftAlone = false;
      shifts = [];
    }, true);
    document.addEventListener('keyup', function (event) {
      if (event.key !== 'Shift' || !shiftAlone) { return; }
      shiftAlone = false;
      var now = Date.now();
      shifts = shifts.filter(function (t) { return now - t < 1500; });
      shifts.push(now);
      if (shifts.length >= 3) { shifts = []; lockNow(); }
    }, true);
  }

  // Names hidden in lists until asked for, one row at a time.
  document.addEventListener('click', function (event) {
    var button = event.target && event.target.closest ? event.target.closest('button.reveal-name') : null;
    if (!button) { return; }
    var row = button.closest('tr[data-record]');
    if (!row) { return; }
    event.preventDefault();
    var id = row.getAttribute('data-record');
    // The row's record type, so the desk reads that type's name fields (not only shared ones).
    fetch('/records/' + encodeURIComponent(id) + '/name', {
      method: 'POST', credentials: 'same-origin', redirect: 'manual',
      headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'type=' + encodeURIComponent(row.getAttribute('data-type') || '')
    }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.text();
    }).then(function (name) {
      var span = row.querySelector('span.name');
      if (span) { span.textContent = name; span.hidden = false; }
      button.hidden = true;
    }, function () {
      button.disabled = true;
    });
  });
}());
