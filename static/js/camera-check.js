/* Samenspraak camera and microphone check, shared by the 1:1 video call
 * (call.js) and the group video room (groupcall.js).
 *
 * The page holds the check's elements with fixed ids (controle-media,
 * eigen-voorbeeld, microfoon-niveau, microfoon-testen, controle-hulp,
 * camera-keuze(-veld), microfoon-keuze(-veld)). The check shows one's own
 * picture, a level bar for the microphone, a choice of device when there is
 * more than one, and plain help when something is missing: without a
 * camera it carries on with sound only.
 *
 *   var check = window.samenspraakCameraCheck(texts, {
 *     opening: function () {},          // devices are being (re)opened
 *     ready: function (stream) {},      // a stream to use
 *     failed: function (error) {}       // nothing usable (refused, no devices)
 *   });
 *   check.open(); check.stopLevel(); check.stopStream(); check.showHelp(text);
 */
(function () {
  "use strict";

  function byId(id) { return document.getElementById(id); }

  window.samenspraakCameraCheckSupported = function () {
    return !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia &&
      window.RTCPeerConnection && window.WebSocket);
  };

  window.samenspraakCameraCheck = function (texts, hooks) {
    var mediaCheck = byId("controle-media");
    var preview = byId("eigen-voorbeeld");
    var level = byId("microfoon-niveau");
    var levelButton = byId("microfoon-testen");
    var help = byId("controle-hulp");
    var cameraField = byId("camera-keuze-veld");
    var cameraSelect = byId("camera-keuze");
    var microphoneField = byId("microfoon-keuze-veld");
    var microphoneSelect = byId("microfoon-keuze");
    var audioContext = null;
    var levelTimer = null;
    var check = { stream: null };

    function showHelp(text) {
      help.textContent = text || "";
      help.hidden = !text;
    }

    function constraints(withVideo) {
      var audio = microphoneSelect.value ? { deviceId: { exact: microphoneSelect.value } } : true;
      if (!withVideo) return { audio: audio, video: false };
      var video = { width: { ideal: 640 }, height: { ideal: 480 } };
      if (cameraSelect.value) video.deviceId = { exact: cameraSelect.value };
      else video.facingMode = "user";
      return { audio: audio, video: video };
    }

    function stopStream() {
      if (check.stream) check.stream.getTracks().forEach(function (track) { track.stop(); });
      check.stream = null;
      preview.srcObject = null;
    }

    function open() {
      stopStream();
      showHelp("");
      if (hooks.opening) hooks.opening();
      return navigator.mediaDevices.getUserMedia(constraints(true)).catch(function (error) {
        if (error.name === "NotAllowedError" || error.name === "SecurityError") throw error;
        // No camera, or one that is busy: carry on with sound only.
        return navigator.mediaDevices.getUserMedia(constraints(false)).then(function (audioOnly) {
          showHelp(error.name === "NotReadableError" ? texts.camera_busy : texts.no_camera);
          return audioOnly;
        });
      }).then(function (media) {
        check.stream = media;
        mediaCheck.hidden = false;
        preview.srcObject = media;
        preview.hidden = !media.getVideoTracks().length;
        startLevel(media);
        hooks.ready(media);
        return listDevices();
      }).catch(function (error) {
        mediaCheck.hidden = true;
        if (error.name === "NotAllowedError" || error.name === "SecurityError") showHelp(texts.denied);
        else showHelp(texts.no_devices);
        if (hooks.failed) hooks.failed(error);
      });
    }

    function fillSelect(select, field, devices, kind, label) {
      var stream = check.stream;
      var chosen = stream && stream.getTracks().filter(function (t) { return t.kind + "input" === kind; })[0];
      var current = chosen && chosen.getSettings ? chosen.getSettings().deviceId : "";
      var ofKind = devices.filter(function (d) { return d.kind === kind; });
      select.textContent = "";
      ofKind.forEach(function (device, index) {
        var option = document.createElement("option");
        option.value = device.deviceId;
        option.textContent = device.label || label + " " + (index + 1);
        if (device.deviceId === current) option.selected = true;
        select.appendChild(option);
      });
      field.hidden = ofKind.length < 2;
    }

    function listDevices() {
      if (!navigator.mediaDevices.enumerateDevices) return null;
      return navigator.mediaDevices.enumerateDevices().then(function (devices) {
        fillSelect(cameraSelect, cameraField, devices, "videoinput", texts.camera);
        fillSelect(microphoneSelect, microphoneField, devices, "audioinput", texts.microphone);
      });
    }

    function startLevel(media) {
      stopLevel();
      var AudioContextClass = window.AudioContext || window.webkitAudioContext;
      if (!AudioContextClass || !media.getAudioTracks().length) return;
      audioContext = new AudioContextClass();
      var analyser = audioContext.createAnalyser();
      // About 43 ms of sound per look, looked at every 40 ms: nothing is
      // missed, and the bar falls back slowly so a short sound stays visible.
      analyser.fftSize = 2048;
      audioContext.createMediaStreamSource(media).connect(analyser);
      var samples = new Uint8Array(analyser.fftSize);
      var shown = 0;
      levelTimer = window.setInterval(function () {
        analyser.getByteTimeDomainData(samples);
        var sum = 0;
        for (var i = 0; i < samples.length; i++) {
          var value = (samples[i] - 128) / 128;
          sum += value * value;
        }
        shown = Math.max(Math.min(1, Math.sqrt(sum / samples.length) * 4), shown * 0.85);
        level.value = shown;
      }, 40);
      // Browsers may start sound processing only after a click or key press
      // on the page: then a button offers that click.
      var context = audioContext;
      context.onstatechange = function () { levelButton.hidden = context.state !== "suspended"; };
      levelButton.hidden = context.state !== "suspended";
      if (context.state === "suspended") context.resume().catch(function () {});
    }

    function stopLevel() {
      if (levelTimer) window.clearInterval(levelTimer);
      levelTimer = null;
      if (audioContext) {
        audioContext.onstatechange = null;
        audioContext.close().catch(function () {});
      }
      audioContext = null;
      levelButton.hidden = true;
    }

    function resumeLevel() {
      if (audioContext && audioContext.state === "suspended") audioContext.resume().catch(function () {});
    }
    document.addEventListener("pointerdown", resumeLevel);
    document.addEventListener("keydown", resumeLevel);
    levelButton.addEventListener("click", resumeLevel);
    cameraSelect.addEventListener("change", open);
    microphoneSelect.addEventListener("change", open);

    check.open = open;
    check.stopLevel = stopLevel;
    check.stopStream = stopStream;
    check.showHelp = showHelp;
    return check;
  };
})();
