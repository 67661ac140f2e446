/**
 * The registration page's script (after the shared `RM` helpers of links/link-page.ts). It fills the city and
 * district lists from GET /crm/locations, uploads the chosen KTP and selfie (POST {link}/documents, then a PUT
 * of the file to the signed URL), and submits the KYC with the code; the server's field errors are shown
 * beside their fields and in #message. Plain ES5: it runs on any phone browser.
 */
export const registrationScript = `(function(){
var link=location.pathname.replace(/\\/+$/,''),form=document.getElementById('registration'),msg=document.getElementById('message'),id=RM.lang==='id';
function $(x){return document.getElementById(x);}
function t(a,b){return id?a:b;}
function val(x){var el=$(x);return el?el.value.trim():'';}
function fill(sel,items){sel.innerHTML='';var o=document.createElement('option');o.value='';o.textContent=t('— pilih —','— choose —');sel.appendChild(o);
items.forEach(function(i){var x=document.createElement('option');x.value=i.code;x.textContent=i.name;sel.appendChild(x);});sel.disabled=items.length===0;}
function areas(level,parent,sel,next){fill(sel,[]);if(next)fill(next,[]);if(!parent)return;
fetch('/crm/locations?level='+level+'&parent='+encodeURIComponent(parent),{credentials:'same-origin'}).then(function(r){return r.json();})
.then(function(b){fill(sel,(b&&b.items)||[]);}).catch(function(){RM.show(msg,t('Daftar wilayah tidak dapat dimuat.','The list of areas could not be loaded.'),'err');});}
$('provinceCode').addEventListener('change',function(){areas('city',this.value,$('cityCode'),$('districtCode'));});
$('cityCode').addEventListener('change',function(){areas('district',this.value,$('districtCode'));});
function toggle(box,wrap,shownWhenChecked){function f(){wrap.hidden=box.checked!==shownWhenChecked;}box.addEventListener('change',f);f();}
toggle($('beneficialOwnerSelf'),$('beneficial-owner'),false);
toggle($('fatcaUsPerson'),$('us-tin'),true);
$('send-code').addEventListener('click',function(){RM.sendCode(this,$('otp-status'),function(){$('code').focus();});});
function body(){
var ind={fullName:val('fullName'),nik:val('nik'),birthPlace:val('birthPlace'),birthDate:val('birthDate'),gender:val('gender'),
motherMaidenName:val('motherMaidenName'),nationality:val('nationality'),religion:val('religion'),maritalStatus:val('maritalStatus'),
education:val('education'),occupation:val('occupation'),annualIncome:val('annualIncome'),sourceOfFunds:val('sourceOfFunds'),
investmentObjective:val('investmentObjective'),email:val('email'),phone:val('phone'),
address:{line:val('addressLine'),provinceCode:val('provinceCode'),cityCode:val('cityCode'),districtCode:val('districtCode'),postalCode:val('postalCode')},
beneficialOwner:$('beneficialOwnerSelf').checked?{self:true}:{self:false,name:val('beneficialOwnerName'),relationship:val('beneficialOwnerRelationship')},
fatcaUsPerson:$('fatcaUsPerson').checked};
if(val('npwp'))ind.npwp=val('npwp');if(val('employer'))ind.employer=val('employer');if(ind.fatcaUsPerson&&val('usTin'))ind.usTin=val('usTin');
var risk=$('risk'),answers=[];
risk.querySelectorAll('fieldset[data-question]').forEach(function(f){var c=f.querySelector('input:checked');if(c)answers.push({questionId:f.getAttribute('data-question'),value:c.value});});
return{code:val('code'),individual:ind,riskProfile:{questionnaireVersion:risk.getAttribute('data-version'),answers:answers},
bankAccounts:[{bankCode:val('bankCode'),accountNumber:val('accountNumber'),accountHolderName:val('accountHolderName'),isPrimary:true}]};}
// A problem's field path (body.individual.address.cityCode) to the id of the control that holds it.
function control(path){var p=path.replace(/^body\\./,''),k;
if(p.indexOf('individual.')===0){p=p.slice(11);
if(p.indexOf('address.')===0){k=p.slice(8);return k==='line'?'addressLine':k;}
if(p.indexOf('beneficialOwner.')===0){k=p.slice(16);return 'beneficialOwner'+k.charAt(0).toUpperCase()+k.slice(1);}
return p==='beneficialOwner'?'beneficialOwnerSelf':p.split('.')[0];}
if(p.indexOf('bankAccounts')===0){k=p.split('.')[2];return k||'bankCode';}
if(p.indexOf('riskProfile')===0)return 'risk';
return p;}
function clear(){form.querySelectorAll('.field-err').forEach(function(e){e.textContent='';});
form.querySelectorAll('[aria-invalid]').forEach(function(e){e.removeAttribute('aria-invalid');});}
function mark(errors){var first;(errors||[]).forEach(function(e){var c=control(e.field),el=$(c),out=form.querySelector('[data-error-for="'+c+'"]');
if(out){out.textContent=(out.textContent?out.textContent+' ':'')+e.message;if(el){el.setAttribute('aria-invalid','true');first=first||el;}}});if(first)first.focus();}
function fail(p){if(p instanceof Error){RM.show(msg,t('Jaringan bermasalah. Coba lagi.','Network error. Try again.'),'err');return;}
RM.show(msg,RM.problem(p),'err');mark(p&&p.errors);}
// Each chosen file is uploaded once; a retry after a refused submission sends only what changed.
var sent={};
function upload(kind,fileInput){var f=fileInput.files&&fileInput.files[0];if(!f||sent[kind]===f)return Promise.resolve();
return RM.call('POST',link+'/documents',{kind:kind,contentType:f.type,size:f.size}).then(function(r){
if(r.status!==201){if(r.body&&r.body.errors)r.body.errors.forEach(function(e){e.field=kind.toLowerCase();});throw r.body;}
var u=r.body.upload;return fetch(u.url,{method:u.method,headers:u.headers,body:f}).then(function(res){
if(!res.ok)throw{detail:t('Berkas tidak dapat diunggah. Coba lagi.','The file could not be uploaded. Try again.'),errors:[{field:kind.toLowerCase(),message:t('Unggahan gagal.','Upload failed.')}]};
sent[kind]=f;});});}
form.addEventListener('submit',function(ev){ev.preventDefault();clear();var btn=$('submit');btn.disabled=true;RM.show(msg,t('Mengirim…','Sending…'));
upload('KTP',$('ktp')).then(function(){return upload('SELFIE',$('selfie'));})
.then(function(){return RM.call('POST',link+'/registration',body());})
.then(function(r){if(r.status!==200)throw r.body;form.hidden=true;RM.show(msg,'');var res=$('result');res.setAttribute('data-status',r.body.status);res.hidden=false;res.focus();})
.catch(fail).then(function(){btn.disabled=false;});});
})();`;
