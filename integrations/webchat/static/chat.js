// kaika demo web chat: talks to the gateway's /api/chat (never to Rasa directly).
(function () {
  const UI = {
    zh: { subtitle: "信用卡申请助手 · 中文 / English", send: "发送", placeholder: "输入消息…", hello: "你好", photo: "[照片]", attach: "发送照片", error: "暂时连不上助手，请稍后再试。" },
    en: { subtitle: "Card application assistant · English / 中文", send: "Send", placeholder: "Type a message…", hello: "hello", photo: "[photo]", attach: "Send a photo", error: "The assistant is unavailable right now, please try again shortly." },
  };
  const lang = (navigator.language || "zh").toLowerCase().startsWith("zh") ? "zh" : "en";
  const t = UI[lang];
  const log = document.getElementById("log");
  const input = document.getElementById("text");
  document.getElementById("subtitle").textContent = t.subtitle;
  document.getElementById("send").textContent = t.send;
  input.placeholder = t.placeholder;

  function add(cls, text) {
    const li = document.createElement("li");
    li.className = "msg " + cls;
    li.textContent = text;  // text only: nothing from the server is parsed as HTML
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
    return li;
  }

  async function session() {
    let id = localStorage.getItem("kaika.session");
    if (!id) {
      const r = await fetch("/api/chat/sessions", { method: "POST" });
      id = (await r.json()).session;
      localStorage.setItem("kaika.session", id);
    }
    return id;
  }

  // Messages go out one at a time, in order; replies appear under the message they answer.
  let chain = Promise.resolve();
  function send(text, shown) {
    if (shown !== null) add("me", shown === undefined ? text : shown);
    chain = chain.then(() => exchange(text));
    return chain;
  }

  async function exchange(text, file) {
    const typing = add("bot typing", "…");
    try {
      let r;
      if (file) {
        const form = new FormData();
        form.append("session", await session());
        form.append("file", file);
        r = await fetch("/api/chat/upload", { method: "POST", body: form });
      } else {
        r = await fetch("/api/chat", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ session: await session(), text }),
        });
      }
      if (!r.ok) throw new Error(r.status);
      const data = await r.json();
      typing.remove();
      for (const m of data.messages) {
        const li = add("bot", m.text);
        if (m.buttons.length) {
          const row = document.createElement("div");
          row.className = "buttons";
          for (const b of m.buttons) {
            const btn = document.createElement("button");
            btn.type = "button";
            btn.textContent = b.title;
            btn.addEventListener("click", () => {
              row.querySelectorAll("button").forEach((x) => { x.disabled = true; });  // one answer per question
              send(b.payload, b.title);
            });
            row.appendChild(btn);
          }
          li.appendChild(row);
        }
      }
    } catch (e) {
      add("error", t.error);
    } finally {
      typing.remove();
    }
  }

  document.getElementById("attach").title = t.attach;
  document.getElementById("attach").setAttribute("aria-label", t.attach);
  document.getElementById("photo").addEventListener("change", (ev) => {
    const file = ev.target.files[0];
    ev.target.value = "";
    if (!file) return;
    add("me photo", t.photo + " " + file.name);
    chain = chain.then(() => exchange(null, file));
  });

  document.getElementById("composer").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    send(text);
  });
  if (!localStorage.getItem("kaika.started")) {
    localStorage.setItem("kaika.started", "1");
    send(t.hello, null);
  }
})();
