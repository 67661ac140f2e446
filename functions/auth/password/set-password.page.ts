import { createHash } from 'node:crypto';

/**
 * The page an invitation email links to. Static HTML: the token sits in the URL fragment (never sent to a
 * server, so never in a log), the script reads it, fetches a CSRF token and posts the new password as JSON to
 * POST /auth/set-password. The CSP admits exactly this script and style by hash, and nothing else.
 */
const style = `body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}
label{display:block;margin:1rem 0 .25rem}input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
button{margin-top:1rem;padding:.6rem 1rem;font-size:1rem}#msg{margin-top:1rem}.err{color:#b00020}.ok{color:#0a6b2b}`;

const script = `(function(){
var form=document.getElementById('f'),msg=document.getElementById('msg');
var token=new URLSearchParams(location.hash.slice(1)).get('token');
history.replaceState(null,'',location.pathname);
if(!token){msg.textContent='Tautan tidak lengkap. / The link is incomplete.';msg.className='err';form.hidden=true;return;}
form.addEventListener('submit',function(e){
e.preventDefault();
var a=form.elements.p1.value,b=form.elements.p2.value;
if(a!==b){msg.textContent='Kata sandi tidak sama. / The passwords differ.';msg.className='err';return;}
form.elements.go.disabled=true;
fetch('csrf',{credentials:'same-origin'}).then(function(r){return r.json();}).then(function(c){
return fetch('set-password',{method:'POST',credentials:'same-origin',headers:{'Content-Type':'application/json','X-CSRF-Token':c.token},body:JSON.stringify({token:token,newPassword:a})});
}).then(function(r){
if(r.status===204){form.hidden=true;msg.textContent='Kata sandi tersimpan. Silakan masuk di aplikasi RMTools. / Your password is set. Sign in in the RMTools app.';msg.className='ok';return;}
return r.json().then(function(p){var e=(p.errors||[]).map(function(x){return x.message;}).join(' ');msg.textContent=(p.title||'Error')+(e?': '+e:'');msg.className='err';form.elements.go.disabled=false;});
}).catch(function(){msg.textContent='Jaringan bermasalah. / Network error.';msg.className='err';form.elements.go.disabled=false;});
});
})();`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

export const setPasswordPageCsp = [
  "default-src 'none'",
  `script-src ${sha256(script)}`,
  `style-src ${sha256(style)}`,
  "connect-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const setPasswordPage = `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>RMTools: buat kata sandi</title><style>${style}</style></head>
<body><h1>Buat kata sandi</h1><p>Set your RMTools password. Minimal 8 karakter; frasa yang panjang lebih baik.</p>
<form id="f"><label for="p1">Kata sandi baru / New password</label><input id="p1" name="p1" type="password" autocomplete="new-password" minlength="8" maxlength="128" required>
<label for="p2">Ulangi / Repeat</label><input id="p2" name="p2" type="password" autocomplete="new-password" minlength="8" maxlength="128" required>
<button id="go" name="go" type="submit">Simpan / Save</button></form><p id="msg" role="status"></p>
<script>${script}</script></body></html>`;
