/*
 * Skincare ingredient assistant: embeddable chat widget (no framework).
 *
 * Embed with one script tag; settings come from window.SkincareChat (set before the tag) or from
 * data-* attributes on the tag itself:
 *
 *   <script src="https://assistant.example.com/widget/chat.js"
 *           data-server-url="https://rasa.example.com" data-title="Ask about ingredients"></script>
 *
 * It loads chat.css and vendor/socket.io.min.js from next to itself and talks to Rasa's socketio
 * channel (bot/channels/socketio.py). The server issues the conversation with a signed session token;
 * the widget keeps that token and at most the last few messages in localStorage, for `keepHours`
 * (default 24) after the last activity, and the "Clear" button removes them. Every piece of text
 * from the bot or the user is put in the page with textContent: nothing received is ever parsed as
 * HTML, the visitor's own text is never made into links, and in the bot's text only deliberate
 * [label](https://...) links are.
 *
 * A checked ingredient label arrives with its plain text plus `custom: {type: "label_check", ...}` (the lists
 * bot/answers/render.py label_list builds): it is laid out as a heading per group and an ordered list per
 * group, each entry with its label number (the one "tell me more about number 3" uses) and its source lines
 * folded in a <details>. Only the expected fields are kept, all as text; anything else shows the plain text.
 *
 * When the person asks to be forgotten and confirms, the reply arrives with `custom: {type: "conversation_forgotten"}`:
 * the widget then forgets what it kept too, shows only that reply and starts a new conversation.
 *
 * A person on the support team can take the chat over (bot/channels/staff_relay.py): their messages carry
 * `staff: {agent, kind, at}` and are shown with their name; while they have the chat, no "typing" dots
 * wait for the assistant. The time of the last staff message shown is kept (`staffSeen`) and sent when the
 * session resumes, so the server sends again only what arrived while the widget was closed.
 */
(function () {
  "use strict";

  if (window.__skincareChatLoaded) {
    return;
  }
  window.__skincareChatLoaded = true;

  var STORAGE_KEY = "skincareChat.v2";
  // The view of the reply confirming that the assistant forgot the conversation (actions/privacy.py).
  var FORGOTTEN_TYPE = "conversation_forgotten";
  var OLD_STORAGE_KEYS = ["skincareChat.v1"]; // earlier versions kept up to 120 messages: removed
  var HISTORY_LIMIT = 10; // enough to pick up where the visitor left off; not a transcript
  var DEFAULT_KEEP_HOURS = 24;
  // bot/nlu/message_limits.py EMERGENCY_SCAN_MAX_CHARS: the server reads this much, answers "too long"
  // past MAX_MESSAGE_CHARS (5000) unless the message may report an emergency, so nothing is cut here.
  var MAX_MESSAGE_CHARS = 20000;
  var TYPING_TIMEOUT_MS = 30000;

  var script = document.currentScript;
  var baseUrl = new URL(".", script && script.src ? script.src : window.location.href).href;
  var config = readConfig(script, window.SkincareChat);

  // ---------------------------------------------------------------- settings

  function readConfig(tag, given) {
    var data = (tag && tag.dataset) || {};
    var cfg = given && typeof given === "object" ? given : {};
    function pick(key, dataKey, fallback) {
      if (Object.prototype.hasOwnProperty.call(cfg, key)) {
        return cfg[key];
      }
      if (data[dataKey] !== undefined) {
        return data[dataKey];
      }
      return fallback;
    }
    var colors = cfg.colors && typeof cfg.colors === "object" ? cfg.colors : {};
    return {
      serverUrl: String(pick("serverUrl", "serverUrl", window.location.origin)).replace(/\/+$/, ""),
      socketPath: String(pick("socketPath", "socketPath", "/socket.io")),
      title: String(pick("title", "title", "Skincare ingredient assistant")),
      greeting: String(pick("greeting", "greeting", "") || ""),
      // Sent (not shown) when a conversation starts, so the bot greets with its own buttons.
      initPayload: pick("initPayload", "initPayload", "/greet"),
      notice: String(pick("notice", "notice", "General information, not medical advice.")),
      placeholder: String(pick("placeholder", "placeholder", "Ask about an ingredient\u2026")),
      startOpen: String(pick("startOpen", "startOpen", "false")) === "true",
      // How long the session and the last messages stay in this browser after the last activity.
      keepHours: positiveNumber(pick("keepHours", "keepHours", DEFAULT_KEEP_HOURS), DEFAULT_KEEP_HOURS),
      colors: {
        primary: colors.primary || data.primaryColor || "",
        onPrimary: colors.onPrimary || data.onPrimaryColor || "",
        background: colors.background || data.backgroundColor || "",
      },
    };
  }

  function positiveNumber(value, fallback) {
    var number = Number(value);
    return isFinite(number) && number > 0 ? number : fallback;
  }

  // ---------------------------------------------------------------- storage

  function emptyState() {
    return { sessionId: null, sessionToken: null, history: [], open: false, staffSeen: null, humanAgent: null };
  }

  // What this browser keeps: {sessionId, sessionToken, history (last HISTORY_LIMIT), open, savedAt}.
  // Anything older than keepHours is removed unread.
  function loadState() {
    try {
      OLD_STORAGE_KEYS.forEach(function (key) {
        window.localStorage.removeItem(key);
      });
      var stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "null");
      if (stored && typeof stored === "object" && Array.isArray(stored.history)) {
        var age = Date.now() - Number(stored.savedAt);
        if (!(age >= 0 && age < config.keepHours * 3600 * 1000)) {
          window.localStorage.removeItem(STORAGE_KEY);
          return emptyState();
        }
        return {
          sessionId: typeof stored.sessionId === "string" ? stored.sessionId : null,
          sessionToken: typeof stored.sessionToken === "string" ? stored.sessionToken : null,
          history: stored.history.filter(isEntry).slice(-HISTORY_LIMIT).map(storedEntry),
          open: stored.open === true,
          staffSeen: typeof stored.staffSeen === "number" ? stored.staffSeen : null,
          humanAgent: typeof stored.humanAgent === "string" ? stored.humanAgent : null,
        };
      }
    } catch (err) {
      // Storage disabled or corrupt: start a fresh conversation in memory.
    }
    return emptyState();
  }

  function saveState() {
    try {
      window.localStorage.setItem(
        STORAGE_KEY,
        JSON.stringify({
          sessionId: state.sessionId,
          sessionToken: state.sessionToken,
          history: state.history.slice(-HISTORY_LIMIT),
          open: state.open,
          staffSeen: state.staffSeen,
          humanAgent: state.humanAgent,
          savedAt: Date.now(),
        })
      );
    } catch (err) {
      // Private mode or quota: the conversation still works, it just will not survive a reload.
    }
  }

  function forgetStoredState() {
    try {
      window.localStorage.removeItem(STORAGE_KEY);
    } catch (err) {
      // Nothing stored, or storage disabled.
    }
  }

  // A stored entry as the widget shows it: a label list is read back through labelListOf, like a new one.
  function storedEntry(entry) {
    var kept = { from: entry.from, text: entry.text, buttons: Array.isArray(entry.buttons) ? entry.buttons : [] };
    if (entry.agent !== undefined) {
      kept.agent = entry.agent;
    }
    var list = entry.from === "bot" ? labelListOf(entry.list) : null;
    if (list) {
      kept.list = list;
    }
    return kept;
  }

  function isEntry(entry) {
    return entry && (entry.from === "user" || entry.from === "bot") && typeof entry.text === "string" &&
      (entry.agent === undefined || typeof entry.agent === "string");
  }

  // ---------------------------------------------------------------- a checked label's lists

  var LABEL_LIST_TYPE = "label_check";
  var MAX_LABEL_ENTRIES = 200; // the server checks at most 150 entries; more is not a label list from it

  function textOf(value) {
    return typeof value === "string" ? value : "";
  }

  function textsOf(values) {
    return Array.isArray(values) ? values.filter(function (v) { return typeof v === "string" && v; }) : [];
  }

  // The label list in `custom` reduced to what the widget lays out (same shape, so a stored copy is read
  // back through here too), or null when it is not one.
  function labelListOf(custom) {
    if (!custom || typeof custom !== "object" || custom.type !== LABEL_LIST_TYPE || !Array.isArray(custom.groups)) {
      return null;
    }
    var count = 0;
    var groups = custom.groups
      .filter(function (group) {
        return group && typeof group === "object" && typeof group.heading === "string" && Array.isArray(group.items);
      })
      .map(function (group) {
        var items = group.items
          .filter(function (item) {
            return item && typeof item === "object" && typeof item.name === "string" &&
              typeof item.number === "number" && isFinite(item.number) && item.number >= 1;
          })
          .map(function (item) {
            return { number: Math.floor(item.number), name: item.name, note: textOf(item.note), sources: textsOf(item.sources) };
          });
        count += items.length;
        return { group: textOf(group.group), heading: group.heading, items: items };
      })
      .filter(function (group) {
        return group.items.length > 0;
      });
    if (!groups.length || count > MAX_LABEL_ENTRIES) {
      return null;
    }
    return {
      type: LABEL_LIST_TYPE,
      title: textOf(custom.title),
      groups: groups,
      footer: textsOf(custom.footer),
      source_label: textOf(custom.source_label),
    };
  }

  var labelLists = 0; // for unique heading ids

  function renderLabelList(list) {
    labelLists += 1;
    var box = el("div", { className: "scw-text scw-label" });
    if (list.title) {
      box.appendChild(el("p", { className: "scw-label-title", text: list.title }));
    }
    list.groups.forEach(function (group, index) {
      var headingId = "scw-label-" + labelLists + "-" + index;
      var items = el("ol", { className: "scw-label-items", "aria-labelledby": headingId });
      group.items.forEach(function (item) {
        var entry = el("li", { className: "scw-label-item", value: item.number, "data-number": item.number }, [
          el("span", { className: "scw-label-number", text: item.number + ". " }),
          el("span", { className: "scw-label-name", text: item.name }),
        ]);
        if (item.note) {
          entry.appendChild(el("span", { className: "scw-label-note", text: ": " + item.note }));
        }
        if (item.sources.length && list.source_label) {
          var details = el("details", { className: "scw-label-source" }, [el("summary", { text: list.source_label })]);
          item.sources.forEach(function (line) {
            details.appendChild(el("p", { text: line }));
          });
          entry.appendChild(details);
        }
        items.appendChild(entry);
      });
      box.appendChild(el("section", { className: "scw-label-group", "data-group": group.group }, [
        el("h3", { id: headingId, className: "scw-label-heading", text: group.heading }),
        items,
      ]));
    });
    list.footer.forEach(function (line) {
      box.appendChild(el("p", { className: "scw-label-footer", text: line }));
    });
    return box;
  }

  // ---------------------------------------------------------------- DOM helpers

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (name === "text") {
        node.textContent = value;
      } else if (name === "className") {
        node.className = value;
      } else if (value === true) {
        node.setAttribute(name, "");
      } else if (value !== false && value !== null && value !== undefined) {
        node.setAttribute(name, String(value));
      }
    });
    (children || []).forEach(function (child) {
      node.appendChild(child);
    });
    return node;
  }

  function safeHref(raw) {
    try {
      var url = new URL(raw);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (err) {
      return null;
    }
  }

  function link(label, href) {
    return el("a", { href: href, target: "_blank", rel: "noopener noreferrer", text: label });
  }

  // Bot text with deliberate [label](http(s) url) links made clickable; everything else stays text.
  // A bare address is never a link: it may be a value the visitor typed that the bot quoted back.
  var LINK_PATTERN = /\[([^\]\n]{1,300})\]\(([^)\s]{1,2000})\)/g;

  function renderText(text) {
    var fragment = document.createDocumentFragment();
    var last = 0;
    text.replace(LINK_PATTERN, function (match, label, target, offset) {
      fragment.appendChild(document.createTextNode(text.slice(last, offset)));
      last = offset + match.length;
      var href = safeHref(target);
      fragment.appendChild(href ? link(label, href) : document.createTextNode(match));
      return match;
    });
    fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  // ---------------------------------------------------------------- build the widget

  var state = loadState();
  var socket = null;
  var sessionReady = false;
  var typingTimer = null;
  var initPending = false;

  var ids = { panel: "scw-panel", title: "scw-title", input: "scw-input", log: "scw-log", notice: "scw-notice" };

  var launcher = el("button", {
    type: "button",
    className: "scw-launcher",
    "aria-expanded": "false",
    "aria-controls": ids.panel,
    "aria-label": "Open chat: " + config.title,
  });
  launcher.appendChild(chatIcon());

  var statusText = el("span", { className: "scw-status-text", text: "Not connected" });
  var status = el("p", { className: "scw-status", role: "status" }, [
    el("span", { className: "scw-dot", "aria-hidden": "true" }),
    statusText,
  ]);
  var clearButton = el("button", {
    type: "button",
    className: "scw-clear",
    "aria-label": "Clear conversation",
    title: "Clear this conversation from this browser and start a new one",
    text: "Clear",
  });
  var closeButton = el("button", {
    type: "button",
    className: "scw-icon-button scw-close",
    "aria-label": "Close chat",
    title: "Close",
    text: "\u00D7",
  });
  var header = el("header", { className: "scw-header" }, [
    el("div", { className: "scw-heading" }, [el("h2", { id: ids.title, text: config.title }), status]),
    clearButton,
    closeButton,
  ]);
  var notice = el("p", { id: ids.notice, className: "scw-notice", text: config.notice });
  var alertBox = el("p", { className: "scw-alert", role: "alert", hidden: true });
  var log = el("div", {
    id: ids.log,
    className: "scw-log",
    role: "log",
    "aria-live": "polite",
    "aria-label": "Conversation",
    tabindex: "0",
  });
  var typing = el("div", { className: "scw-typing", hidden: true }, [
    el("span", { className: "scw-visually-hidden", text: "The assistant is typing" }),
    el("span", { className: "scw-typing-dot", "aria-hidden": "true" }),
    el("span", { className: "scw-typing-dot", "aria-hidden": "true" }),
    el("span", { className: "scw-typing-dot", "aria-hidden": "true" }),
  ]);
  var input = el("input", {
    id: ids.input,
    className: "scw-input",
    type: "text",
    autocomplete: "off",
    maxlength: String(MAX_MESSAGE_CHARS),
    placeholder: config.placeholder,
    "aria-describedby": ids.notice,
  });
  var sendButton = el("button", { type: "submit", className: "scw-send", text: "Send" });
  var form = el("form", { className: "scw-form" }, [
    el("label", { for: ids.input, className: "scw-visually-hidden", text: "Your message" }),
    input,
    sendButton,
  ]);
  var panel = el(
    "section",
    {
      id: ids.panel,
      className: "scw-panel",
      role: "dialog",
      "aria-modal": "false",
      "aria-labelledby": ids.title,
      hidden: true,
    },
    [header, notice, alertBox, log, typing, form]
  );
  var root = el("div", { className: "scw-root", "data-state": "idle", hidden: true }, [panel, launcher]);

  applyColors();

  function chatIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "28");
    svg.setAttribute("height", "28");
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z");
    path.setAttribute("fill", "currentColor");
    svg.appendChild(path);
    return svg;
  }

  function applyColors() {
    var map = { primary: "--scw-primary", onPrimary: "--scw-on-primary", background: "--scw-background" };
    Object.keys(map).forEach(function (key) {
      if (config.colors[key]) {
        root.style.setProperty(map[key], String(config.colors[key]));
      }
    });
  }

  // ---------------------------------------------------------------- messages

  function renderEntry(entry, withReplies) {
    var staff = entry.from === "bot" && typeof entry.agent === "string";
    var bubble = el("div", { className: "scw-message scw-from-" + entry.from + (staff ? " scw-from-staff" : "") });
    if (staff) {
      bubble.appendChild(el("span", { className: "scw-agent", text: entry.agent }));
      bubble.appendChild(el("span", { className: "scw-visually-hidden", text: " (support team): " }));
    } else {
      bubble.appendChild(el("span", { className: "scw-visually-hidden", text: entry.from === "user" ? "You: " : "Assistant: " }));
    }
    if (entry.list) {
      bubble.classList.add("scw-label-check");
      bubble.appendChild(renderLabelList(entry.list));
    } else {
      var content = entry.from === "bot" ? renderText(entry.text) : document.createTextNode(entry.text);
      bubble.appendChild(el("span", { className: "scw-text" }, [content]));
    }
    log.appendChild(bubble);
    if (withReplies && entry.buttons && entry.buttons.length) {
      log.appendChild(renderQuickReplies(entry.buttons));
    }
  }

  function renderQuickReplies(buttons) {
    var group = el("div", { className: "scw-quick-replies", role: "group", "aria-label": "Suggested replies" });
    buttons.forEach(function (button) {
      var choice = el("button", { type: "button", className: "scw-quick-reply", text: button.title });
      choice.addEventListener("click", function () {
        if (send(button.payload, button.title)) {
          input.focus();
        }
      });
      group.appendChild(choice);
    });
    return group;
  }

  function removeQuickReplies() {
    Array.prototype.forEach.call(log.querySelectorAll(".scw-quick-replies"), function (group) {
      group.remove();
    });
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function addEntry(entry) {
    state.history.push(entry);
    state.history = state.history.slice(-HISTORY_LIMIT);
    saveState();
    renderEntry(entry, true);
    scrollToEnd();
  }

  function renderHistory() {
    log.textContent = "";
    state.history.forEach(function (entry, index) {
      renderEntry(entry, index === state.history.length - 1);
    });
    scrollToEnd();
  }

  function buttonsOf(message) {
    var raw = message.quick_replies || message.buttons || [];
    if (!Array.isArray(raw)) {
      return [];
    }
    return raw
      .filter(function (b) {
        return b && typeof b.title === "string" && typeof b.payload === "string";
      })
      .map(function (b) {
        return { title: b.title, payload: b.payload };
      });
  }

  function onBotMessage(message) {
    if (!message || typeof message !== "object") {
      return;
    }
    var text = typeof message.text === "string" ? message.text : "";
    var attachment = message.attachment && message.attachment.payload;
    if (!text && attachment && typeof attachment.src === "string" && safeHref(attachment.src)) {
      text = safeHref(attachment.src); // shown as a link, never loaded into the page
    }
    var buttons = buttonsOf(message);
    if (!text && !buttons.length) {
      return;
    }
    var staff = message.staff && typeof message.staff === "object" && typeof message.staff.agent === "string" ? message.staff : null;
    if (staff) {
      var at = Number(staff.at);
      if (isFinite(at) && state.staffSeen !== null && at <= state.staffSeen) {
        return; // already shown (sent again on a resume)
      }
      if (isFinite(at)) {
        state.staffSeen = at;
      }
      state.humanAgent = staff.kind === "handed_back" ? null : staff.kind === "joined" ? staff.agent : state.humanAgent;
    }
    hideTyping();
    removeQuickReplies();
    var entry = { from: "bot", text: text, buttons: buttons };
    if (staff) {
      entry.agent = staff.agent;
    }
    if (!staff && message.custom && message.custom.type === FORGOTTEN_TYPE) {
      // The assistant forgot the conversation (actions/privacy.py): this browser forgets its copy too, shows only
      // the confirmation, and what the person says next starts a new conversation.
      startAfresh(text);
      return;
    }
    var list = staff ? null : labelListOf(message.custom);
    if (list && text) {
      entry.list = list; // the text stays with it: the same reply, as plain text
    }
    addEntry(entry);
  }

  function showTyping() {
    typing.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, TYPING_TIMEOUT_MS);
    scrollToEnd();
  }

  function hideTyping() {
    typing.hidden = true;
    clearTimeout(typingTimer);
  }

  // Sends `payload` to the assistant; shows `shown` (or the payload) as the user's message.
  // Returns false (and says why) when the message cannot go out right now.
  function send(payload, shown) {
    var text = String(payload || "").trim();
    if (!text) {
      return false;
    }
    if (!socket || !socket.connected || !sessionReady) {
      showAlert("You're offline, so your message wasn't sent. The chat reconnects by itself; please try again in a moment.");
      return false;
    }
    hideAlert();
    removeQuickReplies();
    addEntry({ from: "user", text: shown === undefined ? text : String(shown) });
    socket.emit("user_uttered", { message: text });
    if (!state.humanAgent) {
      showTyping(); // a person on the team answers when they can: no dots promising an instant reply
    }
    return true;
  }

  function sendSilently(payload) {
    if (socket && socket.connected && sessionReady) {
      socket.emit("user_uttered", { message: payload });
      showTyping();
      return true;
    }
    return false;
  }

  // An empty conversation starts with the configured greeting, then the init payload once connected.
  function startConversationIfEmpty() {
    if (state.history.length) {
      return;
    }
    if (config.greeting) {
      addEntry({ from: "bot", text: config.greeting, buttons: [] });
    }
    initPending = Boolean(config.initPayload);
    sendInitIfPending();
  }

  function sendInitIfPending() {
    if (initPending && sendSilently(String(config.initPayload))) {
      initPending = false;
    }
  }

  // ---------------------------------------------------------------- connection

  // next: idle | connecting | online | offline (also exposed as data-state on the widget root).
  function setConnection(next, label) {
    root.setAttribute("data-state", next);
    statusText.textContent = label;
  }

  function showAlert(text) {
    alertBox.textContent = text;
    alertBox.hidden = false;
  }

  function hideAlert() {
    alertBox.hidden = true;
    alertBox.textContent = "";
  }

  function connect() {
    if (socket) {
      return;
    }
    if (typeof window.io !== "function") {
      setConnection("offline", "Offline");
      showAlert("The chat could not load. Please reload the page to try again.");
      return;
    }
    setConnection("connecting", "Connecting\u2026");
    socket = window.io(config.serverUrl, {
      path: config.socketPath,
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
      timeout: 8000,
    });

    socket.on("connect", function () {
      sessionReady = false;
      socket.emit("session_request", { session_token: state.sessionToken, staff_seen: state.staffSeen });
    });

    // {session_id, session_token, resumed}: the conversation this browser owns from now on. A
    // different id means the stored one ended (expired, forgotten or purged on the server): the
    // copy kept here belongs to it and is dropped.
    socket.on("session_confirm", function (confirm) {
      var id = confirm && typeof confirm.session_id === "string" ? confirm.session_id : null;
      if (!id) {
        return;
      }
      var ended = state.sessionId !== null && id !== state.sessionId;
      state.sessionId = id;
      state.sessionToken = typeof confirm.session_token === "string" ? confirm.session_token : null;
      if (ended) {
        state.history = [];
        state.staffSeen = null;
        renderHistory();
        conversationChecked = false;
      }
      state.humanAgent = typeof confirm.human_agent === "string" ? confirm.human_agent : null;
      saveState();
      if (!conversationChecked && !panel.hidden) {
        conversationChecked = true;
        startConversationIfEmpty();
      }
      sessionReady = true;
      hideAlert();
      setConnection("online", "Online");
      sendInitIfPending();
    });

    socket.on("bot_uttered", onBotMessage);

    socket.on("disconnect", function (reason) {
      sessionReady = false;
      hideTyping();
      setConnection("offline", "Reconnecting\u2026");
      if (reason === "io server disconnect") {
        socket.connect(); // the server closed us on purpose; socket.io will not retry by itself
      }
    });

    socket.on("connect_error", function () {
      sessionReady = false;
      setConnection("offline", "Offline, retrying\u2026");
      showAlert("We can't reach the assistant right now. The chat keeps trying to reconnect; you can also try again later.");
    });
  }

  function loadSocketClient(done) {
    if (typeof window.io === "function") {
      done();
      return;
    }
    var tag = el("script", { src: baseUrl + "vendor/socket.io.min.js", async: true });
    tag.addEventListener("load", done);
    tag.addEventListener("error", done); // connect() reports the failure
    document.head.appendChild(tag);
  }

  // ---------------------------------------------------------------- open / close

  function open(moveFocus) {
    state.open = true;
    saveState();
    panel.hidden = false;
    root.classList.add("scw-open");
    launcher.setAttribute("aria-expanded", "true");
    launcher.setAttribute("aria-label", "Close chat: " + config.title);
    renderHistoryOnce();
    scrollToEnd();
    if (moveFocus) {
      input.focus();
    }
    if (!conversationChecked) {
      conversationChecked = true;
      startConversationIfEmpty();
    }
    loadSocketClient(connect);
  }

  function close() {
    state.open = false;
    saveState();
    panel.hidden = true;
    root.classList.remove("scw-open");
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", "Open chat: " + config.title);
    launcher.focus();
  }

  var historyRendered = false;
  var conversationChecked = false;
  function renderHistoryOnce() {
    if (!historyRendered) {
      historyRendered = true;
      renderHistory();
    }
  }

  // Forget everything this browser holds about the conversation and ask the server for a new one; `notice`
  // (a bot message), if given, is all that is shown afterwards.
  function startAfresh(notice) {
    forgetStoredState();
    var wasOpen = state.open;
    state = emptyState();
    state.open = wasOpen;
    renderHistory();
    hideTyping();
    if (notice) {
      addEntry({ from: "bot", text: notice, buttons: [] });
    }
    if (socket && socket.connected) {
      sessionReady = false;
      socket.emit("session_request", { session_token: null });
    }
  }

  // The "Clear" button: forget everything this browser holds about the conversation, start afresh.
  function newConversation() {
    startAfresh(null);
    startConversationIfEmpty();
    input.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) {
      open(true);
    } else {
      close();
    }
  });
  closeButton.addEventListener("click", close);
  clearButton.addEventListener("click", newConversation);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (send(input.value)) {
      input.value = "";
    }
    input.focus();
  });

  // ---------------------------------------------------------------- mount

  function mount() {
    if (!document.querySelector("link[data-scw-styles]")) {
      var css = el("link", { rel: "stylesheet", href: baseUrl + "chat.css", "data-scw-styles": "true" });
      var reveal = function () {
        root.hidden = false;
      };
      css.addEventListener("load", reveal);
      css.addEventListener("error", reveal);
      document.head.appendChild(css);
    } else {
      root.hidden = false;
    }
    document.body.appendChild(root);
    if (state.open || config.startOpen) {
      open(false); // restoring the page's state: leave focus where the browser put it
    }
  }

  if (document.body) {
    mount();
  } else {
    document.addEventListener("DOMContentLoaded", mount);
  }
})();
