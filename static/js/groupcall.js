/* Samenspraak group video: a small group (up to six people) in the browser,
 * every browser connected to every other one (mesh WebRTC), signalling over
 * our own socket (appointments.consumers.GroupCallConsumer).
 *
 * First the camera and microphone check (camera-check.js), then one button:
 * "Meedoen", or "Ik luister alleen" (microphone and camera off; they can be
 * switched on later). In the room: a tile per person with their name, the
 * buttons for microphone, camera, raising a hand and leaving, and a text
 * chat beside the video whose lines are relayed, never stored.
 *
 * The server gives each socket a random peer id and tells the newcomer who
 * is there (hello) and the others that someone joined. For every pair, the
 * side with the smaller peer id makes the offer and the other answers
 * ("perfect negotiation", the larger id is polite). Descriptions and ICE
 * candidates go to one named peer only. A dropped socket comes back with a
 * new peer id: every connection then starts afresh.
 *
 * Texts come from the page (json_script), so they follow its language.
 * For tests, window.samenspraakGroupCall exposes the peer connections; it
 * exists only when the page carries data-test-hooks, never in production.
 */
(function () {
  "use strict";
  var root = document.getElementById("groepsbellen");
  var configNode = document.getElementById("groepsbellen-config");
  var textsNode = document.getElementById("groepsbellen-teksten");
  if (!root || !configNode || !textsNode) return;
  var config = JSON.parse(configNode.textContent);
  var texts = JSON.parse(textsNode.textContent);

  var check = document.getElementById("camera-controle");
  var joinButton = document.getElementById("gesprek-starten");
  var listenButton = document.getElementById("alleen-luisteren");
  var room = document.getElementById("gesprek");
  var heading = document.getElementById("gesprek-titel");
  var statusLine = document.getElementById("gesprek-status");
  var handNotice = document.getElementById("hand-melding");
  var grid = document.getElementById("deelnemers");
  var microphoneButton = document.getElementById("microfoon-knop");
  var cameraButton = document.getElementById("camera-knop");
  var handButton = document.getElementById("hand-knop");
  var leaveButton = document.getElementById("ophangen");
  var chatList = document.getElementById("chat-berichten");
  var chatForm = document.getElementById("chat-formulier");
  var chatText = document.getElementById("chat-tekst");
  var after = document.getElementById("na-ophangen");
  var afterText = document.getElementById("na-ophangen-tekst");
  var fullJitsi = document.getElementById("vol-jitsi");

  check.hidden = false;
  if (!window.samenspraakCameraCheckSupported()) {
    document.getElementById("controle-media").hidden = true;
    var help = document.getElementById("controle-hulp");
    help.textContent = texts.unsupported;
    help.hidden = false;
    return;
  }

  var stream = null;           // own camera and microphone (maybe empty)
  var socket = null;
  var socketAttempts = 0;
  var started = false;
  var finished = false;
  var myPeer = null;
  var peers = {};              // peer id -> {name, host, pc, tile, ...}
  var microphoneOn = true;
  var cameraOn = true;
  var handRaised = false;
  var ownTile = null;
  var incoming = Promise.resolve();

  if (root.hasAttribute("data-test-hooks")) {
    window.samenspraakGroupCall = {
      get peerConnections() {
        var out = {};
        Object.keys(peers).forEach(function (id) { if (peers[id].pc) out[id] = peers[id].pc; });
        return out;
      },
      get peers() { return peers; },
      get socket() { return socket; },
      get stream() { return stream; },
      get peer() { return myPeer; }
    };
  }

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, key) { return values[key]; });
  }

  // --- Camera and microphone check --------------------------------------------

  var camera = window.samenspraakCameraCheck(texts, {
    opening: function () { joinButton.disabled = true; listenButton.disabled = true; },
    ready: function (media) {
      stream = media;
      joinButton.disabled = false;
      listenButton.disabled = false;
    },
    failed: function () {
      // Without a microphone or camera one can still listen and watch.
      stream = null;
      joinButton.disabled = true;
      listenButton.disabled = false;
    }
  });

  // --- Tiles --------------------------------------------------------------------

  function makeTile(name, isOwn) {
    var tile = document.createElement("li");
    tile.className = "group-call-tile";
    var video = document.createElement("video");
    video.autoplay = true;
    video.playsInline = true;
    video.setAttribute("playsinline", "");
    if (isOwn) { video.muted = true; video.className = "is-own"; }
    video.setAttribute("aria-label", isOwn ? texts.own_video : format(texts.video_of, { name: name }));
    var label = document.createElement("p");
    label.className = "group-call-name";
    var nameNode = document.createElement("span");
    nameNode.textContent = name;
    var hand = document.createElement("span");
    hand.className = "group-call-hand";
    hand.hidden = true;
    hand.textContent = "\u270B " + texts.hand;
    var state = document.createElement("span");
    state.className = "group-call-state";
    label.appendChild(nameNode);
    label.appendChild(hand);
    label.appendChild(state);
    tile.appendChild(video);
    tile.appendChild(label);
    grid.appendChild(tile);
    return { root: tile, video: video, hand: hand, state: state };
  }

  function showMediaState(tile, audio, video) {
    var notes = [];
    if (!audio) notes.push(texts.microphone_off_of);
    if (!video) notes.push(texts.camera_off_of);
    var text = notes.join(", ");
    if (tile.state.textContent !== text) tile.state.textContent = text;
  }

  function setStatus() {
    var count = Object.keys(peers).length;
    var socketOpen = socket && socket.readyState === 1;
    var text;
    if (!socketOpen && socketAttempts > 0) text = texts.reconnecting;
    else if (!myPeer) text = texts.connecting;
    else if (!count) text = texts.alone;
    else text = format(texts.in_room, { count: count + 1 });
    if (statusLine.textContent !== text) statusLine.textContent = text;
  }

  function announce(text) {
    handNotice.textContent = text;
  }

  // --- Signalling socket --------------------------------------------------------

  function send(frame) {
    if (socket && socket.readyState === 1) socket.send(JSON.stringify(frame));
  }

  // To everyone, or (a newcomer) to one peer.
  function sendState(to) {
    var media = { type: "media-state", audio: microphoneOn, video: cameraOn && hasVideo() };
    var hand = { type: "hand", raised: handRaised };
    if (to) { media.to = to; hand.to = to; }
    send(media);
    send(hand);
  }

  function hasVideo() { return !!(stream && stream.getVideoTracks().length); }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var current = new WebSocket(scheme + window.location.host + config.socket_path);
    socket = current;
    current.onopen = function () { socketAttempts = 0; setStatus(); };
    current.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (error) { return; }
      incoming = incoming.then(function () { return handle(frame); }).catch(function (error) {
        if (window.console) window.console.warn("groupcall:", error);
      });
    };
    current.onclose = function (event) {
      if (socket === current) socket = null;
      if (finished) return;
      if (event.code === 4409) { finish(texts.replaced); return; }
      if (event.code === 4410) { finish(texts.ended); return; }
      if (event.code === 4403) { finish(texts.access_ended); return; }
      if (event.code === 4429) return;  // the "full" frame said why
      // Back with a new peer id: every connection starts again.
      myPeer = null;
      Object.keys(peers).forEach(removePeer);
      setStatus();
      socketAttempts += 1;
      window.setTimeout(connect, Math.min(10000, 500 * Math.pow(2, socketAttempts)));
    };
  }

  function handle(frame) {
    if (finished) return null;
    var peer = frame.from ? peers[frame.from] : null;
    if (frame.type === "hello") {
      myPeer = frame.peer;
      Object.keys(peers).forEach(removePeer);
      frame.peers.forEach(addPeer);
      sendState();
      setStatus();
    } else if (frame.type === "peer-joined") {
      addPeer(frame);
      sendState(frame.peer);
      announce(format(texts.joined, { name: frame.name }));
      setStatus();
    } else if (frame.type === "peer-left") {
      var leaving = peers[frame.peer];
      if (leaving) announce(format(texts.left, { name: leaving.name }));
      removePeer(frame.peer);
      setStatus();
    } else if (frame.type === "description" && peer) {
      return onDescription(peer, frame.description);
    } else if (frame.type === "candidate" && peer) {
      return onCandidate(peer, frame.candidate);
    } else if (frame.type === "media-state" && peer) {
      showMediaState(peer.tile, frame.audio, frame.video);
    } else if (frame.type === "hand" && peer) {
      if (peer.tile.hand.hidden === frame.raised) {
        peer.tile.hand.hidden = !frame.raised;
        if (frame.raised) announce(format(texts.raised, { name: peer.name }));
      }
    } else if (frame.type === "chat" && peer) {
      addChat(format(texts.chat_from, { name: peer.name }), frame.text);
    } else if (frame.type === "full") {
      finish(frame.message, frame.jitsi_url);
    } else if (frame.type === "closed" || frame.type === "ended") {
      finish(frame.message || texts.ended);
    } else if (frame.type === "replaced") {
      finish(texts.replaced);
    } else if (frame.type === "error" && window.console) {
      window.console.warn("groupcall:", frame.code, frame.message);
    }
    return null;
  }

  // --- Peer connections (one per other person) ------------------------------------

  function addPeer(info) {
    if (peers[info.peer] || info.peer === myPeer) return;
    var peer = {
      id: info.peer,
      name: info.name,
      host: info.host,
      polite: myPeer > info.peer,
      pc: null,
      makingOffer: false,
      ignoreOffer: false,
      settingRemoteAnswer: false,
      tile: makeTile(info.name, false)
    };
    peers[info.peer] = peer;
    // The side with the smaller id offers; the other waits for that offer.
    if (!peer.polite) newPeerConnection(peer);
  }

  function removePeer(id) {
    var peer = peers[id];
    if (!peer) return;
    delete peers[id];
    closePeerConnection(peer);
    if (peer.tile.root.parentNode) peer.tile.root.parentNode.removeChild(peer.tile.root);
  }

  function closePeerConnection(peer) {
    if (!peer.pc) return;
    var old = peer.pc;
    peer.pc = null;
    old.onnegotiationneeded = old.onicecandidate = old.ontrack = old.onconnectionstatechange = null;
    old.close();
    peer.tile.video.srcObject = null;
  }

  function newPeerConnection(peer) {
    closePeerConnection(peer);
    peer.makingOffer = peer.ignoreOffer = peer.settingRemoteAnswer = false;
    // One transport for sound and picture: half the candidates to relay.
    var current = new RTCPeerConnection({ iceServers: config.ice_servers || [], bundlePolicy: "max-bundle" });
    peer.pc = current;
    var own = stream;
    if (own) own.getTracks().forEach(function (track) { current.addTrack(track, own); });
    // Without a camera or microphone one still sees and hears the others.
    // (The answering side gets these from the offer.)
    if (!peer.polite) {
      if (!own || !own.getAudioTracks().length) current.addTransceiver("audio", { direction: "recvonly" });
      if (!own || !own.getVideoTracks().length) current.addTransceiver("video", { direction: "recvonly" });
    }
    current.ontrack = function (event) {
      if (peer.pc !== current) return;
      var video = peer.tile.video;
      var remote = event.streams && event.streams[0];
      if (!remote) {
        remote = video.srcObject || new MediaStream();
        remote.addTrack(event.track);
      }
      if (video.srcObject !== remote) video.srcObject = remote;
      var playing = video.play();
      if (playing && playing.catch) playing.catch(function () {});
    };
    current.onnegotiationneeded = function () {
      peer.makingOffer = true;
      current.setLocalDescription().then(function () {
        if (peer.pc !== current) return;
        send({ type: "description", to: peer.id,
               description: { type: current.localDescription.type, sdp: current.localDescription.sdp } });
      }).catch(function (error) {
        if (window.console) window.console.warn("groupcall:", error);
      }).then(function () { peer.makingOffer = false; });
    };
    current.onicecandidate = function (event) {
      if (peer.pc === current && event.candidate) {
        send({ type: "candidate", to: peer.id, candidate: event.candidate.toJSON() });
      }
    };
    current.onconnectionstatechange = function () {
      if (peer.pc !== current) return;
      if (current.connectionState === "failed" && !peer.polite && current.restartIce) current.restartIce();
    };
    return current;
  }

  function onDescription(peer, description) {
    if (!peer.pc) {
      if (description.type !== "offer") return null;
      newPeerConnection(peer);
    }
    var current = peer.pc;
    var readyForOffer = !peer.makingOffer && (current.signalingState === "stable" || peer.settingRemoteAnswer);
    var collision = description.type === "offer" && !readyForOffer;
    peer.ignoreOffer = !peer.polite && collision;
    if (peer.ignoreOffer) return null;
    peer.settingRemoteAnswer = description.type === "answer";
    return current.setRemoteDescription(description).then(function () {
      peer.settingRemoteAnswer = false;
      if (description.type !== "offer") return null;
      return current.setLocalDescription().then(function () {
        if (peer.pc !== current) return;
        send({ type: "description", to: peer.id,
               description: { type: current.localDescription.type, sdp: current.localDescription.sdp } });
      });
    }, function (error) {
      peer.settingRemoteAnswer = false;
      throw error;
    });
  }

  function onCandidate(peer, candidate) {
    if (!peer.pc) return null;
    return peer.pc.addIceCandidate(candidate).catch(function (error) {
      if (!peer.ignoreOffer) throw error;
    });
  }

  // --- Chat -----------------------------------------------------------------------

  function addChat(who, text) {
    var item = document.createElement("li");
    var name = document.createElement("strong");
    name.textContent = who;
    item.appendChild(name);
    item.appendChild(document.createTextNode(" " + text));
    chatList.appendChild(item);
    chatList.scrollTop = chatList.scrollHeight;
  }

  chatForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = chatText.value.trim();
    if (!text || !socket || socket.readyState !== 1) return;
    send({ type: "chat", text: text.slice(0, 1000) });
    addChat(texts.chat_own, text.slice(0, 1000));
    chatText.value = "";
    chatText.focus();
  });

  chatText.addEventListener("keydown", function (event) {
    // Enter sends, Shift+Enter starts a new line.
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      chatForm.requestSubmit ? chatForm.requestSubmit() : chatForm.dispatchEvent(new Event("submit"));
    }
  });

  // --- Buttons --------------------------------------------------------------------

  function setToggle(button, isOff, offText, onText) {
    button.setAttribute("aria-pressed", isOff ? "true" : "false");
    button.textContent = isOff ? onText : offText;
  }

  function applyMedia() {
    if (stream) {
      stream.getAudioTracks().forEach(function (track) { track.enabled = microphoneOn; });
      stream.getVideoTracks().forEach(function (track) { track.enabled = cameraOn; });
    }
    setToggle(microphoneButton, !microphoneOn, texts.microphone_off, texts.microphone_on);
    setToggle(cameraButton, !cameraOn, texts.camera_off, texts.camera_on);
    microphoneButton.hidden = !(stream && stream.getAudioTracks().length);
    cameraButton.hidden = !hasVideo();
    if (ownTile) showMediaState(ownTile, microphoneOn && !microphoneButton.hidden, cameraOn && hasVideo());
  }

  microphoneButton.addEventListener("click", function () {
    microphoneOn = !microphoneOn;
    applyMedia();
    sendState();
  });

  cameraButton.addEventListener("click", function () {
    cameraOn = !cameraOn;
    applyMedia();
    sendState();
  });

  handButton.addEventListener("click", function () {
    handRaised = !handRaised;
    handButton.setAttribute("aria-pressed", handRaised ? "true" : "false");
    handButton.textContent = handRaised ? texts.lower_hand : texts.raise_hand;
    ownTile.hand.hidden = !handRaised;
    send({ type: "hand", raised: handRaised });
  });

  function finish(text, jitsiUrl) {
    finished = true;
    Object.keys(peers).forEach(removePeer);
    if (socket) socket.close();
    socket = null;
    camera.stopLevel();
    camera.stopStream();
    stream = null;
    if (ownTile) ownTile.video.srcObject = null;
    room.hidden = true;
    check.hidden = true;
    afterText.textContent = text;
    if (jitsiUrl) {
      document.getElementById("vol-jitsi-tekst").textContent = texts.full_jitsi;
      var link = document.getElementById("vol-jitsi-link");
      link.href = jitsiUrl;
      link.textContent = jitsiUrl;
      fullJitsi.hidden = false;
    }
    after.hidden = false;
    afterText.focus();
  }

  leaveButton.addEventListener("click", function () { finish(texts.hung_up); });

  function start(listenOnly) {
    if (started) return;
    started = true;
    if (!stream) stream = new MediaStream();
    microphoneOn = !listenOnly;
    cameraOn = !listenOnly;
    check.hidden = true;
    room.hidden = false;
    ownTile = makeTile(texts.you, true);
    ownTile.video.srcObject = stream;
    ownTile.video.hidden = !hasVideo();
    applyMedia();
    camera.stopLevel();
    setStatus();
    heading.focus();
    connect();
  }

  joinButton.addEventListener("click", function () { start(false); });
  listenButton.addEventListener("click", function () { start(true); });

  camera.open();
})();
