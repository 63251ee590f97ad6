/* The LINE simulator: plays a LINE user against the in-process fake LINE platform.
 *
 * Everything it sends goes to the fake's side door (/fakeline/fake/users, /webhook,
 * /id-token) and nowhere else; the fake signs the event and posts it to the program's
 * real webhook. Replies are read back by polling /fakeline/fake/messages.
 * No libraries, no build step. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("simulator-config").textContent);
  var T = config.text;
  var FAKE_PATHS = { "/fake/users": true, "/fake/webhook": true, "/fake/id-token": true };
  var STORE_KEY = "secondcareer.lineSimulator." + config.program;
  var MAX_TRANSCRIPT = 200;
  var TYPING_MS = 20000;

  var log = document.getElementById("log");
  var quick = document.getElementById("quick");
  var form = document.getElementById("composer");
  var input = document.getElementById("text");
  var statusLine = document.getElementById("status");
  var userIdOut = document.getElementById("user-id");

  var state = load();
  var polling = false;
  var typing = null;
  var typingTimer = null;

  // --- state in localStorage -------------------------------------------------------------

  function newUserId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return "U" + Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function fresh() {
    return { userId: newUserId(), followed: false, lastSeq: 0, lastTimestamp: 0, transcript: [] };
  }

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(STORE_KEY) || "null");
      if (saved && /^U[0-9a-f]{32}$/.test(saved.userId)) {
        saved.transcript = saved.transcript || [];
        return saved;
      }
    } catch (e) { /* unreadable: start again */ }
    return fresh();
  }

  function save() {
    state.transcript = state.transcript.slice(-MAX_TRANSCRIPT);
    try { window.localStorage.setItem(STORE_KEY, JSON.stringify(state)); } catch (e) { /* full */ }
  }

  // --- talking to the fake -------------------------------------------------------------

  function fake(path, body) {
    if (!FAKE_PATHS[path]) { throw new Error("not a simulator endpoint: " + path); }
    return window.fetch(config.fakeBase + path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var error = new Error(data.message || ("HTTP " + response.status));
          error.status = response.status;
          throw error;
        }
        return data;
      });
    });
  }

  function fetchMessages(after) {
    var query = "?user=" + encodeURIComponent(state.userId) +
      "&channel=" + encodeURIComponent(config.channelId) +
      (after ? "&after=" + encodeURIComponent(after) : "");
    return window.fetch(config.fakeBase + "/fake/messages" + query, {
      credentials: "same-origin", cache: "no-store"
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    });
  }

  function showStatus(text) {
    statusLine.textContent = text || "";
    statusLine.hidden = !text;
  }

  // --- rendering ---------------------------------------------------------------------------

  var URL_PATTERN = /https?:\/\/[^\s<>"'（）「」、。]+/g;

  function isOwnPage(url) {
    try {
      var parsed = new URL(url, window.location.href);
      var origins = [window.location.origin];
      if (config.siteUrl) { origins.push(new URL(config.siteUrl).origin); }
      return origins.indexOf(parsed.origin) >= 0 &&
        parsed.pathname.indexOf(config.ownPages) === 0 &&
        !/\/webhook$/.test(parsed.pathname);
    } catch (e) {
      return false;
    }
  }

  /* Open one of the platform's own pages as LIFF would: in a new tab, with a fresh LINE
     Login ID token in the fragment (#id_token=…). */
  function openOwnPage(url) {
    var tab = window.open("about:blank", "_blank");
    if (tab) { tab.opener = null; }
    fake("/fake/id-token", { userId: state.userId, channelId: config.channelId })
      .then(function (data) {
        var target = new URL(url, window.location.href);
        target.hash = "id_token=" + encodeURIComponent(data.idToken);
        if (tab) { tab.location.href = target.toString(); } else { window.location.href = target.toString(); }
      })
      .catch(function (error) {
        if (tab) { tab.close(); }
        showStatus(T.idTokenFailed + " (" + error.message + ")");
      });
  }

  function link(url) {
    var a = document.createElement("a");
    a.href = url;
    a.textContent = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    if (isOwnPage(url)) {
      a.className = "own-page";
      a.addEventListener("click", function (event) {
        event.preventDefault();
        openOwnPage(url);
      });
    }
    return a;
  }

  function withLinks(parent, text) {
    var last = 0;
    text.replace(URL_PATTERN, function (match, offset) {
      parent.appendChild(document.createTextNode(text.slice(last, offset)));
      parent.appendChild(link(match));
      last = offset + match.length;
      return match;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function describe(message) {
    if (message.type === "text") { return message.text || ""; }
    if (message.altText) { return "［" + message.altText + "］"; }
    return "［" + (T.kinds[message.type] || message.type) + "］";
  }

  function timeLabel(ms) {
    var d = new Date(ms);
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }

  function render(entry) {
    var item = document.createElement("div");
    item.className = "msg " + entry.from;
    var who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = entry.from === "bot" ? T.botSays : (entry.from === "me" ? T.youSay : T.notice);
    var bubble = document.createElement("p");
    bubble.className = "bubble";
    bubble.appendChild(who);
    withLinks(bubble, entry.text);
    item.appendChild(bubble);
    if (entry.at) {
      var time = document.createElement("span");
      time.className = "time";
      time.textContent = timeLabel(entry.at);
      item.appendChild(time);
    }
    if (typing && typing.parentNode === log) {
      log.insertBefore(item, typing);
    } else {
      log.appendChild(item);
    }
    log.scrollTop = log.scrollHeight;
  }

  function add(entry) {
    state.transcript.push(entry);
    save();
    render(entry);
  }

  function setTyping(on) {
    window.clearTimeout(typingTimer);
    if (on && !typing) {
      typing = document.createElement("div");
      typing.className = "msg bot typing";
      typing.setAttribute("aria-hidden", "true");
      var bubble = document.createElement("p");
      bubble.className = "bubble";
      bubble.textContent = "…";
      typing.appendChild(bubble);
      log.appendChild(typing);
      log.scrollTop = log.scrollHeight;
    }
    if (on) {
      typingTimer = window.setTimeout(function () { setTyping(false); }, TYPING_MS);
    } else if (typing) {
      typing.remove();
      typing = null;
    }
  }

  // --- quick replies -----------------------------------------------------------------------

  function button(label, onClick, disabledNote) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "quick-button";
    b.textContent = label;
    if (disabledNote) {
      b.disabled = true;
      b.title = disabledNote;
      b.textContent = label + "（" + disabledNote + "）";
    } else {
      b.addEventListener("click", onClick);
    }
    return b;
  }

  function showQuickReplies(items) {
    quick.textContent = "";
    (items || []).forEach(function (item) {
      var action = item.action || {};
      var label = action.label || action.text || "";
      if (action.type === "postback") {
        quick.appendChild(button(label, function () {
          send({ postback: action.data }, action.displayText || label);
        }));
      } else if (action.type === "message") {
        quick.appendChild(button(label, function () { send({ text: action.text }, action.text); }));
      } else if (action.type === "uri") {
        quick.appendChild(button(label, function () {
          if (isOwnPage(action.uri)) { openOwnPage(action.uri); } else {
            window.open(action.uri, "_blank", "noopener,noreferrer");
          }
        }));
      } else {
        quick.appendChild(button(label || action.type, null, T.notHere));
      }
    });
    quick.hidden = !quick.firstChild;
  }

  // --- sending and receiving -----------------------------------------------------------

  function send(payload, shown) {
    showQuickReplies([]);
    if (shown) { add({ from: "me", text: shown, at: Date.now() }); }
    setTyping(true);
    var body = { userId: state.userId, channelId: config.channelId };
    Object.keys(payload).forEach(function (key) { body[key] = payload[key]; });
    return fake("/fake/webhook", body).then(function (answer) {
      if (answer.status && answer.status !== 200) {
        setTyping(false);
        showStatus(T.webhookStatus.replace("%s", answer.status));
      } else {
        showStatus("");
      }
      poll();
    }).catch(function (error) {
      setTyping(false);
      showStatus(T.sendFailed + " (" + error.message + ")");
    });
  }

  function receive(messages) {
    var lastQuick = null;
    messages.forEach(function (sent) {
      if (sent.seq <= state.lastSeq && sent.timestamp <= state.lastTimestamp) { return; }
      state.lastSeq = Math.max(state.lastSeq, sent.seq);
      state.lastTimestamp = Math.max(state.lastTimestamp, sent.timestamp);
      add({ from: "bot", text: describe(sent.message), at: sent.timestamp });
      lastQuick = (sent.message.quickReply && sent.message.quickReply.items) || [];
    });
    if (lastQuick !== null) {
      setTyping(false);
      showQuickReplies(lastQuick);
      save();
    }
  }

  function poll() {
    if (polling) { return; }
    polling = true;
    fetchMessages(state.lastSeq).then(function (data) {
      receive(data.messages || []);
      if (statusLine.dataset.offline) { showStatus(""); delete statusLine.dataset.offline; }
    }).catch(function () {
      statusLine.dataset.offline = "1";
      showStatus(T.offline);
    }).then(function () { polling = false; });
  }

  function loop() {
    poll();
    window.setTimeout(loop, document.hidden ? config.pollMs * 5 : config.pollMs);
  }

  /* The fake keeps messages in memory: after a server restart its sequence numbers start
     again, so catch up by time instead. */
  function catchUp() {
    return fetchMessages(0).then(function (data) {
      var messages = data.messages || [];
      var highest = messages.length ? messages[messages.length - 1].seq : 0;
      if (highest < state.lastSeq) {
        state.lastSeq = 0;
        receive(messages.filter(function (m) { return m.timestamp > state.lastTimestamp; }));
      }
    }).catch(function () { /* the loop reports it */ });
  }

  function start() {
    userIdOut.textContent = state.userId;
    log.textContent = "";
    state.transcript.forEach(render);
    fake("/fake/users", { userId: state.userId, displayName: T.displayName })
      .then(catchUp)
      .then(function () {
        if (!state.followed) {
          state.followed = true;
          save();
          add({ from: "notice", text: T.followed, at: Date.now() });
          return send({ event: "follow" }, null);
        }
      })
      .catch(function (error) { showStatus(T.sendFailed + " (" + error.message + ")"); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { input.focus(); return; }
    input.value = "";
    send({ text: text }, text);
    input.focus();
  });

  Array.prototype.forEach.call(document.querySelectorAll(".menu-button"), function (b) {
    b.addEventListener("click", function () {
      send({ postback: b.dataset.postback }, b.dataset.label);
    });
  });

  var toggle = document.getElementById("menu-toggle");
  var richmenu = document.getElementById("richmenu");
  toggle.addEventListener("click", function () {
    var open = richmenu.hidden;
    richmenu.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    toggle.setAttribute("aria-label", open ? toggle.dataset.open : toggle.dataset.closed);
  });

  document.getElementById("restart").addEventListener("click", function () {
    state = fresh();
    save();
    showQuickReplies([]);
    setTyping(false);
    start();
  });

  start();
  loop();
})();
