// Staff dashboard, live: ticket changes arrive as server-sent events from /staff/events. The list and an
// open ticket are refreshed in place (unless the agent is typing or has ticked rows); a new urgent ticket
// raises a browser notification and a short sound. On a ticket, the conversation's new messages (what the
// person writes during a takeover) stream from /staff/tickets/<id>/conversation into the transcript. Text always goes through textContent, never HTML
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

  function appendLine(line) {
    var list = document.querySelector("ol.transcript");
    if (!list || list.querySelector('[data-event-id="' + Number(line.event_id) + '"]')) { return; }
    var item = document.createElement("li");
    item.className = line.speaker;
    item.setAttribute("data-event-id", String(Number(line.event_id)));
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = line.who;
    var text = document.createElement("div");
    text.className = "text";
    text.textContent = line.text;
    item.appendChild(who);
    item.appendChild(text);
    if (line.buttons && line.buttons.length) {
      var buttons = document.createElement("div");
      buttons.className = "buttons";
      buttons.textContent = "Buttons: " + line.buttons.join(" · ");
      item.appendChild(buttons);
    }
    list.appendChild(item);
    window.__staffLive.lines += 1;
  }

  var transcript = document.querySelector("ol.transcript");
  if (pageKind === "ticket" && transcript) {
    window.__staffLive.lines = 0;
    var after = Number(transcript.getAttribute("data-last-event")) || 0;
    var conversation = new EventSource("/staff/tickets/" + encodeURIComponent(ticketId) + "/conversation?after=" + after);
    conversation.addEventListener("line", function (message) { appendLine(JSON.parse(message.data)); });
  }
})();
