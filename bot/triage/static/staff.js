// Staff dashboard, live: ticket changes arrive as server-sent events from /staff/events. The list and an
// open ticket are refreshed in place (unless the agent is typing or has ticked rows); a new urgent ticket
// raises a browser notification and a short sound. Text always goes through textContent, never HTML
// built here: refreshed parts come from the server's own autoescaped page.
(function () {
  "use strict";
  var body = document.body;
  var pageKind = body.dataset.page;
  var ticketId = body.dataset.ticketId;
  var banner = document.getElementById("live-alert");
  var enable = document.getElementById("live-enable");
  window.__staffLive = { events: 0, beeps: 0, notifications: 0, refreshed: 0 };

  if (enable && "Notification" in window && Notification.permission !== "granted") {
    enable.hidden = false;
    enable.addEventListener("click", function () {
      Notification.requestPermission().then(function () { enable.hidden = Notification.permission === "granted"; });
    });
  }

  function beep() {
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      var audio = new Context();
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.value = 0.2;
      tone.connect(gain);
      gain.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.4);
      window.__staffLive.beeps += 1;
    } catch (error) { /* no sound available: the banner and notification still show */ }
  }

  function alertUrgent(event) {
    var text = "New urgent ticket " + event.id + ": " + event.reason;
    banner.textContent = text;
    banner.hidden = false;
    if ("Notification" in window && Notification.permission === "granted") {
      new Notification("Urgent ticket " + event.id, { body: event.reason, tag: "ticket-" + event.id });
      window.__staffLive.notifications += 1;
    }
    beep();
  }

  function busy() {
    var active = document.activeElement;
    if (active && (active.tagName === "TEXTAREA" || active.tagName === "INPUT" || active.tagName === "SELECT")) {
      return true;
    }
    if (document.querySelector("input[name=ids]:checked")) { return true; }
    return Array.prototype.some.call(document.querySelectorAll("main textarea"), function (area) {
      return area.value !== area.defaultValue;
    });
  }

  var pending = false;
  function refresh() {
    if (busy()) { pending = true; return; }
    pending = false;
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (reply) { return reply.ok ? reply.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("main");
        var main = document.querySelector("main");
        if (fresh && main) {
          main.replaceWith(document.importNode(fresh, true));
          window.__staffLive.refreshed += 1;
        }
      });
  }
  document.addEventListener("focusout", function () { if (pending) { setTimeout(refresh, 200); } });

  var source = new EventSource("/staff/events");
  source.addEventListener("ticket", function (message) {
    var event = JSON.parse(message.data);
    window.__staffLive.events += 1;
    if (event.new && event.urgency === "urgent") { alertUrgent(event); }
    if (pageKind === "tickets" || (pageKind === "ticket" && String(event.id) === ticketId)) { refresh(); }
  });
})();
