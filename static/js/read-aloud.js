// Read aloud: the browser's own speech synthesis reads a text out loud in
// Dutch (a voice whose language starts with "nl" when the device has one).
// No outside service. The buttons stay hidden when the browser cannot speak.
(function () {
  "use strict";
  if (!("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }
  var synth = window.speechSynthesis;

  function dutchVoice() {
    var voices = synth.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].lang && voices[i].lang.toLowerCase().indexOf("nl") === 0) {
        return voices[i];
      }
    }
    return null;
  }

  function setup(box) {
    var target = document.getElementById(box.getAttribute("data-read-aloud"));
    if (!target) {
      return;
    }
    var play = box.querySelector("[data-read-action=play]");
    var pause = box.querySelector("[data-read-action=pause]");
    var stop = box.querySelector("[data-read-action=stop]");
    var playLabel = play.textContent;
    var pauseLabel = pause.textContent;

    function idle() {
      play.disabled = false;
      pause.disabled = true;
      stop.disabled = true;
      pause.textContent = pauseLabel;
    }

    play.addEventListener("click", function () {
      synth.cancel();
      var utterance = new window.SpeechSynthesisUtterance(target.innerText || target.textContent || "");
      utterance.lang = "nl-NL";
      var voice = dutchVoice();
      if (voice) {
        utterance.voice = voice;
      }
      utterance.onend = idle;
      utterance.onerror = idle;
      synth.speak(utterance);
      play.disabled = true;
      pause.disabled = false;
      stop.disabled = false;
    });
    pause.addEventListener("click", function () {
      if (synth.paused) {
        synth.resume();
        pause.textContent = pauseLabel;
      } else {
        synth.pause();
        pause.textContent = pause.getAttribute("data-resume-label") || playLabel;
      }
    });
    stop.addEventListener("click", function () {
      synth.cancel();
      idle();
    });
    box.hidden = false;
  }

  document.querySelectorAll("[data-read-aloud]").forEach(setup);
  // Stop talking when the person leaves the page.
  window.addEventListener("pagehide", function () {
    synth.cancel();
  });
})();
