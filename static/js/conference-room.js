// The meeting room of one endpoint: asks the platform for a short-lived join token, opens Janus' API
// with it (never a secret), joins the meeting's VideoRoom and plays every publisher's feed. It publishes
// camera and microphone when the platform says so (the host's endpoint; another while it has the floor)
// and a speaking place is free.
// Janus' JS client (npm janus-gateway) is loaded from the static files, its URL given by the page.

const root = document.getElementById("conference-room");
const PLUGIN = "janus.plugin.videoroom";
const PUBLISHERS_FULL = 432;
let floorTimer = null;

function say(state) {
  const status = root.querySelector("[data-role=status]");
  const key = "msg" + state.charAt(0).toUpperCase() + state.slice(1);
  status.textContent = root.dataset[key] || state;
  status.dataset.state = state;
}

async function issueToken() {
  const response = await fetch(root.dataset.tokenUrl, {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRFToken": root.dataset.csrf },
  });
  if (!response.ok) throw new Error(`token ${response.status}`);
  return response.json();
}

function videoFor(key) {
  let video = root.querySelector(`video[data-feed="${key}"]`);
  if (!video) {
    video = document.createElement("video");
    video.dataset.feed = key;
    video.autoplay = true;
    video.playsInline = true;
    video.className = "grid-col-12 tablet:grid-col-4";
    root.querySelector("[data-role=videos]").appendChild(video);
  }
  return video;
}

function room(Janus, janus, grant) {
  const feeds = new Set();
  let me = null;
  let privateId = null;
  let publisher = null;

  function subscribe(feed) {
    if (feeds.has(feed.id) || feed.id === me) return;
    feeds.add(feed.id);
    let handle = null;
    const stream = new MediaStream();
    janus.attach({
      plugin: PLUGIN,
      opaqueId: root.dataset.opaque,
      success(h) {
        handle = h;
        handle.send({
          message: { request: "join", ptype: "subscriber", room: grant.room, feed: feed.id, private_id: privateId, token: grant.token },
        });
      },
      onmessage(msg, jsep) {
        if (!jsep) return;
        handle.createAnswer({
          jsep,
          tracks: [{ type: "data" }],
          success(answer) {
            handle.send({ message: { request: "start", room: grant.room }, jsep: answer });
          },
          error() {},
        });
      },
      onremotetrack(track, mid, on) {
        if (on) stream.addTrack(track);
        else stream.removeTrack(track);
        videoFor(feed.id).srcObject = stream;
      },
      oncleanup() {
        root.querySelector(`video[data-feed="${feed.id}"]`)?.remove();
        feeds.delete(feed.id);
      },
    });
  }

  let publishing = false;

  function publish() {
    if (publishing) return;
    publishing = true;
    publisher.createOffer({
      tracks: [
        { type: "audio", capture: true, recv: false },
        { type: "video", capture: true, recv: false },
      ],
      success(jsep) {
        publisher.send({ message: { request: "publish", audio: true, video: true }, jsep });
      },
      error() {
        publishing = false;
        say("nomedia");
      },
    });
  }

  function unpublish() {
    if (!publishing) return;
    publishing = false;
    publisher.send({ message: { request: "unpublish" } });
    say("joined");
  }

  // Only the host's endpoint and the one given the floor publish: ask the platform every few seconds.
  async function followTheFloor() {
    try {
      const response = await fetch(root.dataset.floorUrl, { credentials: "same-origin" });
      if (response.ok) {
        const floor = await response.json();
        if (floor.publish) publish();
        else unpublish();
      }
    } catch (error) {
      // the next round tries again
    }
  }

  janus.attach({
    plugin: PLUGIN,
    opaqueId: root.dataset.opaque,
    success(handle) {
      publisher = handle;
      handle.send({
        message: { request: "join", ptype: "publisher", room: grant.room, token: grant.token, display: root.dataset.display },
      });
    },
    error() {
      say("failed");
    },
    onmessage(msg, jsep) {
      const kind = msg.videoroom;
      if (kind === "joined") {
        me = msg.id;
        privateId = msg.private_id;
        say("joined");
        if (grant.publish) publish();
        floorTimer = window.setInterval(followTheFloor, 3000);
      } else if (kind === "event") {
        if (msg.configured === "ok") say("publishing");
        if (msg.error_code === PUBLISHERS_FULL) {
          publishing = false;
          say("full");
        }
        if (msg.unpublished === "ok") publishing = false;
        if (msg.moderation && msg.id === me && msg.mid === "0") say(msg.moderation === "muted" ? "muted" : "unmuted");
        if (msg.leaving === "ok" && msg.reason === "kicked") {
          say("removed");
          janus.destroy();
        }
      }
      for (const feed of msg.publishers || []) subscribe(feed);
      if (jsep) publisher.handleRemoteJsep({ jsep });
    },
    onlocaltrack(track, on) {
      if (track.kind !== "video" || !on) return;
      root.querySelector("video[data-role=local]").srcObject = new MediaStream([track]);
    },
  });
}

async function join() {
  const joinButton = root.querySelector("[data-role=join]");
  const leaveButton = root.querySelector("[data-role=leave]");
  joinButton.disabled = true;
  say("connecting");
  try {
    const { default: Janus } = await import(root.dataset.janusJs);
    const grant = await issueToken();
    Janus.init({
      debug: false,
      dependencies: Janus.useDefaultDependencies({ adapter: window.adapter }),
      callback() {
        const janus = new Janus({
          server: root.dataset.janusUrl,
          token: grant.token,
          success() {
            room(Janus, janus, grant);
          },
          error() {
            say("failed");
            joinButton.disabled = false;
          },
          destroyed() {
            window.clearInterval(floorTimer);
            if (root.querySelector("[data-role=status]").dataset.state !== "removed") say("left");
            leaveButton.hidden = true;
            joinButton.disabled = false;
          },
        });
        leaveButton.hidden = false;
        leaveButton.onclick = () => janus.destroy();
        window.addEventListener("pagehide", () => janus.destroy());
      },
    });
  } catch (error) {
    say("failed");
    joinButton.disabled = false;
  }
}

if (root) root.querySelector("[data-role=join]").addEventListener("click", join);
