/* Samenspraak video call: 1:1 WebRTC with signalling over our own socket.
 *
 * First a camera and microphone check (own picture, a level bar, a choice
 * of device when there is more than one, plain help when something is
 * missing), then one button to start. In the call: the other person large,
 * oneself small, buttons for microphone, camera and hanging up, and a
 * status line read out by screen readers.
 *
 * Negotiation follows the "perfect negotiation" pattern: either side may
 * make an offer; on a collision the polite side (the resident) gives way.
 * To keep collisions rare (Chromium does not always gather candidates
 * after the rollback of a collision), a new connection is offered by the
 * worker's side and the resident's side answers. ICE candidates trickle
 * over the socket. A dropped socket is opened again; the media keep
 * flowing meanwhile when they can. A reloaded page of the other person
 * (a new "session") gets a fresh RTCPeerConnection.
 *
 * Texts come from the page (json_script), so they follow its language.
 * For tests, window.samenspraakCall.pc is the current RTCPeerConnection;
 * it exists only when the page carries data-test-hooks (DEBUG or the
 * TEST_HOOKS setting), never in production.
 */
(function () {
  "use strict";
  var root = document.getElementById("beeldbellen");
  var configNode = document.getElementById("beeldbellen-config");
  var textsNode = document.getElementById("beeldbellen-teksten");
  if (!root || !configNode || !textsNode) return;
  var config = JSON.parse(configNode.textContent);
  var texts = JSON.parse(textsNode.textContent);

  var check = document.getElementById("camera-controle");
  var startButton = document.getElementById("gesprek-starten");
  var room = document.getElementById("gesprek");
  var heading = document.getElementById("gesprek-titel");
  var statusLine = document.getElementById("gesprek-status");
  var remoteVideo = document.getElementById("beeld-ander");
  var ownVideo = document.getElementById("beeld-eigen");
  var peerNote = document.getElementById("ander-media");
  var microphoneButton = document.getElementById("microfoon-knop");
  var cameraButton = document.getElementById("camera-knop");
  var hangUpButton = document.getElementById("ophangen");
  var after = document.getElementById("na-ophangen");
  var afterText = document.getElementById("na-ophangen-tekst");

  check.hidden = false;
  if (!window.samenspraakCameraCheckSupported()) {
    document.getElementById("controle-media").hidden = true;
    var help = document.getElementById("controle-hulp");
    help.textContent = texts.unsupported;
    help.hidden = false;
    return;
  }

  var stream = null;            // own camera and microphone
  var pc = null;
  var socket = null;
  var socketAttempts = 0;
  var started = false;
  var finished = false;         // hung up, replaced or ended: no reconnecting
  var peerPresent = false;
  var peerHungUp = false;
  var peerSession = null;
  var peerMedia = { audio: true, video: true };
  var microphoneOn = true;
  var cameraOn = true;
  var makingOffer = false;
  var ignoreOffer = false;
  var settingRemoteAnswer = false;
  var incoming = Promise.resolve();
  var session = randomId();

  if (root.hasAttribute("data-test-hooks")) {
    window.samenspraakCall = {
      get pc() { return pc; },
      get socket() { return socket; },
      get stream() { return stream; }
    };
  }

  function randomId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // --- Camera and microphone check (camera-check.js) ---------------------------

  var camera = window.samenspraakCameraCheck(texts, {
    opening: function () { startButton.disabled = true; },
    ready: function (media) {
      stream = media;
      cameraOn = media.getVideoTracks().length > 0;
      microphoneOn = true;
      cameraButton.hidden = !cameraOn;
      startButton.disabled = false;
    }
  });

  // --- Status -----------------------------------------------------------------

  function statusText() {
    var state = pc ? pc.connectionState : "new";
    var socketOpen = socket && socket.readyState === 1;
    if (state === "connected") return texts.connected;
    // Our own socket dropped: whether the other person is there is unknown.
    if (!socketOpen && socketAttempts > 0) return texts.reconnecting;
    if (!peerPresent) return peerHungUp ? texts.peer_hung_up + " " + texts.waiting : texts.waiting;
    if (state === "disconnected" || state === "failed") return texts.reconnecting;
    return texts.connecting;
  }

  function setStatus() {
    var text = statusText();
    // Only a change is written, so screen readers hear each status once.
    if (statusLine.textContent !== text) statusLine.textContent = text;
  }

  function showPeerMedia() {
    var notes = [];
    if (peerPresent && !peerMedia.audio) notes.push(texts.peer_microphone_off);
    if (peerPresent && !peerMedia.video) notes.push(texts.peer_camera_off);
    var text = notes.join(" ");
    if (peerNote.textContent !== text) peerNote.textContent = text;
  }

  // --- Signalling socket --------------------------------------------------------

  function send(frame) {
    if (socket && socket.readyState === 1) socket.send(JSON.stringify(frame));
  }

  function sendDescription(description) {
    send({ type: "description", description: { type: description.type, sdp: description.sdp } });
  }

  function sendMediaState() {
    send({ type: "media-state", audio: microphoneOn, video: cameraOn });
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var current = new WebSocket(scheme + window.location.host + config.socket_path + "?sessie=" + session);
    socket = current;
    current.onopen = function () { socketAttempts = 0; setStatus(); };
    current.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (error) { return; }
      // One frame at a time, in order: an answer is applied before the
      // candidates that follow it.
      incoming = incoming.then(function () { return handle(frame); }).catch(function (error) {
        if (window.console) window.console.warn("call:", error);
      });
    };
    current.onclose = function (event) {
      if (socket === current) socket = null;
      if (finished) return;
      if (event.code === 4409) { finish(texts.replaced); return; }
      if (event.code === 4410) { finish(texts.ended); return; }
      // Access ended (signed out, appointment cancelled or moved): no retry.
      if (event.code === 4403) { finish(texts.access_ended); return; }
      setStatus();
      socketAttempts += 1;
      window.setTimeout(connect, Math.min(10000, 500 * Math.pow(2, socketAttempts)));
    };
  }

  function handle(frame) {
    if (finished) return null;
    if (frame.type === "peer-joined") {
      peerPresent = true;
      peerHungUp = false;
      var isNewPage = frame.session !== peerSession;
      peerSession = frame.session;
      // A socket blip on either side keeps a working connection; a new
      // page of the other person, or no connection yet, starts afresh:
      // the worker's side offers, the resident's side waits for that offer.
      if (isNewPage || !pc || pc.connectionState !== "connected") {
        if (config.polite) closePeerConnection();
        else newPeerConnection();
      }
      peerMedia = { audio: true, video: true };
      sendMediaState();
      showPeerMedia();
      setStatus();
    } else if (frame.type === "peer-left") {
      peerPresent = false;
      showPeerMedia();
      setStatus();
    } else if (frame.type === "hangup") {
      closePeerConnection();
      peerPresent = false;
      peerHungUp = true;
      peerSession = null;
      showPeerMedia();
      setStatus();
    } else if (frame.type === "media-state") {
      peerMedia = { audio: frame.audio, video: frame.video };
      showPeerMedia();
    } else if (frame.type === "description") {
      return onDescription(frame.description);
    } else if (frame.type === "candidate") {
      return onCandidate(frame.candidate);
    } else if (frame.type === "ended") {
      finish(texts.ended);
    } else if (frame.type === "replaced") {
      finish(texts.replaced);
    } else if (frame.type === "error" && window.console) {
      window.console.warn("call:", frame.code, frame.message);
    }
    return null;
  }

  // --- The peer connection (perfect negotiation) ------------------------------------

  function closePeerConnection() {
    if (!pc) return;
    var old = pc;
    pc = null;
    old.onnegotiationneeded = old.onicecandidate = old.ontrack = old.onconnectionstatechange = null;
    old.close();
    remoteVideo.srcObject = null;
  }

  function newPeerConnection() {
    closePeerConnection();
    makingOffer = ignoreOffer = settingRemoteAnswer = false;
    var current = new RTCPeerConnection({ iceServers: config.ice_servers || [] });
    pc = current;
    stream.getTracks().forEach(function (track) { current.addTrack(track, stream); });
    // Without a camera one still sees the other person. (The answering side
    // gets the video from the offer.)
    if (!config.polite && !stream.getVideoTracks().length) current.addTransceiver("video", { direction: "recvonly" });

    current.ontrack = function (event) {
      if (pc !== current) return;
      var remote = event.streams && event.streams[0];
      if (!remote) {
        remote = remoteVideo.srcObject || new MediaStream();
        remote.addTrack(event.track);
      }
      if (remoteVideo.srcObject !== remote) remoteVideo.srcObject = remote;
      var playing = remoteVideo.play();
      if (playing && playing.catch) playing.catch(function () {});
    };
    current.onnegotiationneeded = function () {
      makingOffer = true;
      current.setLocalDescription().then(function () {
        if (pc !== current) return;
        sendDescription(current.localDescription);
      }).catch(function (error) {
        if (window.console) window.console.warn("call:", error);
      }).then(function () { makingOffer = false; });
    };
    current.onicecandidate = function (event) {
      if (pc === current && event.candidate) send({ type: "candidate", candidate: event.candidate.toJSON() });
    };
    current.onconnectionstatechange = function () {
      if (pc !== current) return;
      // A broken path (a new network on the phone): the offering side
      // looks for another one.
      if (current.connectionState === "failed" && !config.polite && current.restartIce) current.restartIce();
      setStatus();
    };
    setStatus();
  }

  function onDescription(description) {
    if (!pc) {
      if (!peerPresent || description.type !== "offer") return null;
      newPeerConnection();
    }
    var current = pc;
    var readyForOffer = !makingOffer && (current.signalingState === "stable" || settingRemoteAnswer);
    var collision = description.type === "offer" && !readyForOffer;
    ignoreOffer = !config.polite && collision;
    if (ignoreOffer) return null;
    settingRemoteAnswer = description.type === "answer";
    return current.setRemoteDescription(description).then(function () {
      settingRemoteAnswer = false;
      if (description.type !== "offer") return null;
      return current.setLocalDescription().then(function () {
        if (pc !== current) return;
        sendDescription(current.localDescription);
      });
    }, function (error) {
      settingRemoteAnswer = false;
      throw error;
    });
  }

  function onCandidate(candidate) {
    if (!pc) return null;
    return pc.addIceCandidate(candidate).catch(function (error) {
      // Candidates of an offer this side ignored are expected to fail.
      if (!ignoreOffer) throw error;
    });
  }

  // --- Buttons -------------------------------------------------------------------

  function setToggle(button, isOff, offText, onText) {
    button.setAttribute("aria-pressed", isOff ? "true" : "false");
    button.textContent = isOff ? onText : offText;
  }

  microphoneButton.addEventListener("click", function () {
    microphoneOn = !microphoneOn;
    stream.getAudioTracks().forEach(function (track) { track.enabled = microphoneOn; });
    setToggle(microphoneButton, !microphoneOn, texts.microphone_off, texts.microphone_on);
    sendMediaState();
  });

  cameraButton.addEventListener("click", function () {
    cameraOn = !cameraOn;
    stream.getVideoTracks().forEach(function (track) { track.enabled = cameraOn; });
    setToggle(cameraButton, !cameraOn, texts.camera_off, texts.camera_on);
    sendMediaState();
  });

  function finish(text) {
    finished = true;
    closePeerConnection();
    if (socket) socket.close();
    socket = null;
    camera.stopLevel();
    camera.stopStream();
    stream = null;
    ownVideo.srcObject = null;
    room.hidden = true;
    check.hidden = true;
    afterText.textContent = text;
    after.hidden = false;
    // The button that had the focus is gone: read out what happened.
    afterText.focus();
  }

  hangUpButton.addEventListener("click", function () {
    send({ type: "hangup" });
    finish(texts.hung_up);
  });

  startButton.addEventListener("click", function () {
    if (started || !stream) return;
    started = true;
    check.hidden = true;
    room.hidden = false;
    ownVideo.srcObject = stream;
    ownVideo.hidden = !stream.getVideoTracks().length;
    cameraButton.hidden = !stream.getVideoTracks().length;
    camera.stopLevel();
    setStatus();
    heading.focus();
    connect();
  });

  window.addEventListener("pagehide", function () {
    if (started && !finished) send({ type: "hangup" });
  });

  camera.open();
})();
