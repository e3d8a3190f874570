/* retain support widget: one script tag injects a launcher bubble and the chat panel (an iframe of /widget/).
   <script src="https://APP/widget.js" data-customer="ID" data-expires="UNIX" data-signature="HEX" data-lang="zh"
   async></script>   (identity attributes optional: without them the shopper is anonymous) */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || document.getElementById("retain-launcher")) return;
  var d = me.dataset, q = new URLSearchParams();
  if (d.customer) q.set("customer_id", d.customer);
  if (d.expires) q.set("exp", d.expires);
  if (d.signature) q.set("sig", d.signature);
  if (d.lang) q.set("lang", d.lang);
  var src = new URL("/widget/", me.src).href + (q.toString() ? "?" + q.toString() : "");
  var zh = (d.lang || document.documentElement.lang || navigator.language || "").toLowerCase().indexOf("zh") === 0;
  var text = zh ? {open: "打开客服聊天", close: "关闭客服聊天", title: "客服聊天"}
                : {open: "Open support chat", close: "Close support chat", title: "Support chat"};
  var KEY = "retain-widget-open";

  var style = document.createElement("style");
  style.textContent =
    "#retain-launcher{position:fixed;right:16px;bottom:16px;width:56px;height:56px;border-radius:50%;border:0;" +
    "background:#3b5bdb;color:#fff;font-size:26px;line-height:56px;cursor:pointer;z-index:2147483000;" +
    "box-shadow:0 4px 16px rgba(0,0,0,.25)}#retain-launcher:focus-visible{outline:3px solid #91a7ff}" +
    "#retain-widget{position:fixed;right:12px;bottom:80px;width:min(420px,calc(100vw - 24px));" +
    "height:min(640px,calc(100vh - 92px));border:1px solid #ccc;border-radius:12px;background:#fff;" +
    "box-shadow:0 4px 24px rgba(0,0,0,.18);z-index:2147483000}#retain-widget[hidden]{display:none}";
  document.head.appendChild(style);

  var frame = document.createElement("iframe");
  frame.id = "retain-widget";
  frame.title = text.title;
  frame.hidden = true;
  var button = document.createElement("button");
  button.id = "retain-launcher";
  button.type = "button";
  button.setAttribute("aria-controls", frame.id);

  function show(open) {
    if (open && !frame.src) frame.src = src;   // loaded on first open
    frame.hidden = !open;
    button.textContent = open ? "\u00d7" : "\ud83d\udcac";
    button.setAttribute("aria-label", open ? text.close : text.open);
    button.setAttribute("aria-expanded", String(open));
    try { sessionStorage.setItem(KEY, open ? "1" : "0"); } catch (e) { /* storage blocked: state not kept */ }
  }
  button.addEventListener("click", function () { show(frame.hidden); });
  document.addEventListener("keydown", function (e) {   // Escape closes the panel, focus back on the bubble
    if (e.key === "Escape" && !frame.hidden) { show(false); button.focus(); }
  });
  function mount() {
    document.body.appendChild(frame);
    document.body.appendChild(button);
    var open = false;
    try { open = sessionStorage.getItem(KEY) === "1"; } catch (e) { /* storage blocked */ }
    show(open);
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
