/* web/static.c: the stylesheet and the little JavaScript, compiled into the
 * binary so that one file is the whole program. */
#include <string.h>
#include "web/routes.h"

static const char static_css[] =
  ":root{--fg:#1d2530;--muted:#5b6675;--line:#d5dbe3;--bg:#f5f7fa;--accent:#0b5cad;--bad:#b3261e;--warn:#8a5a00;--ok:#1b6e3a}"
  "*{box-sizing:border-box}"
  "body{margin:0;font:15px/1.5 system-ui,-apple-system,'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;color:var(--fg);background:var(--bg)}"
  "a{color:var(--accent)}"
  "header.top{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;padding:.6rem 1rem;background:#12355b;color:#fff}"
  "header.top a{color:#fff;text-decoration:none}header.top a[aria-current]{text-decoration:underline}"
  ".brand{font-weight:700}header nav{display:flex;flex-wrap:wrap;gap:1rem}.who{margin-left:auto;display:flex;gap:.75rem;align-items:center;flex-wrap:wrap}"
  ".who .org{opacity:.8;font-size:.9em}"
  "main{max-width:1100px;margin:0 auto;padding:1rem}"
  "h1{font-size:1.4rem;margin:.5rem 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}"
  "table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}"
  "th{background:#eef2f7;font-weight:600}"
  ".field{display:flex;flex-direction:column;gap:.2rem;margin:.4rem 0}.field.wide{grid-column:1/-1}"
  ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:.25rem 1rem}"
  "input,select,textarea,button{font:inherit;padding:.5rem .6rem;border:1px solid #aab4c0;border-radius:4px;background:#fff;min-height:2.6rem}"
  "textarea{min-height:4.5rem}"
  "input[type=checkbox]{min-height:0;width:1.1rem;height:1.1rem;padding:0;margin:0 .35rem 0 0;vertical-align:middle}"
  ".checks{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}label.check{display:inline-flex;align-items:center}"
  "button,.button{background:var(--accent);color:#fff;border:1px solid var(--accent);border-radius:4px;cursor:pointer;text-decoration:none;display:inline-block;padding:.5rem 1rem}"
  "button.link{background:none;border:none;color:inherit;text-decoration:underline;padding:0;min-height:0}"
  "button.secondary,.button.secondary{background:#fff;color:var(--accent)}"
  "form.inline{display:inline}"
  ".has-error input,.has-error select,.has-error textarea{border-color:var(--bad)}"
  ".field-error,.error{color:var(--bad)}"
  ".alert{border:1px solid var(--bad);background:#fdecea;color:var(--bad);padding:.6rem .8rem;border-radius:4px;margin:.5rem 0}"
  ".notice{border:1px solid var(--ok);background:#e8f5ec;color:var(--ok);padding:.6rem .8rem;border-radius:4px;margin:.5rem 0}"
  ".filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin-bottom:.75rem}"
  ".pager{margin:.75rem 0;display:flex;gap:1rem}"
  ".badge{display:inline-block;padding:0 .4rem;border-radius:3px;background:#e4e9f0;font-size:.85em}"
  ".badge.lost_contact,.badge.high{background:#fdecea;color:var(--bad)}.badge.medium{background:#fff4de;color:var(--warn)}"
  "dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}dl.kv dt{color:var(--muted)}dl.kv dd{margin:0;white-space:pre-wrap}"
  ".actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:.75rem 0}"
  ".card{background:#fff;border:1px solid var(--line);border-radius:6px;padding:1rem;margin:.75rem 0}"
  ".card>h2:first-child{margin-top:0}"
  "select{max-width:100%}table.team input{width:100%;min-width:0}"
  ".muted{color:var(--muted)}"
  ".login{max-width:380px;margin:3rem auto}"
  "button:disabled{opacity:.6;cursor:progress}.draft-values{white-space:pre-wrap}"
  /* supervision: workbench, record forms (phone first), person section */
  ".rec-head h1{margin-bottom:.25rem}.rec-head p{margin:0 0 .75rem}"
  ".rec-form{max-width:640px}.rec-form .field input:not([type=checkbox]):not([type=radio]),.rec-form .field select,.rec-form .field textarea{width:100%}"
  ".choices{border:none;padding:0;margin:.6rem 0}.choices legend{padding:0;margin-bottom:.3rem}"
  ".choice-row{display:flex;flex-wrap:wrap;gap:.5rem}"
  ".choice{display:flex;align-items:center;gap:.4rem;min-height:3rem;padding:.5rem .9rem;border:1px solid #aab4c0;border-radius:6px;background:#fff;cursor:pointer;flex:1 1 8rem}"
  ".choice input[type=radio]{width:1.4rem;height:1.4rem;min-height:0;margin:0;padding:0;flex:none}"
  ".choice:has(input:checked){border-color:var(--accent);background:#e7f0fa;font-weight:600}"
  ".choice-positive:has(input:checked){border-color:var(--bad);background:#fdecea;color:var(--bad)}"
  ".substances .checks{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.25rem .75rem}"
  ".big-check{min-height:2.6rem;padding:.2rem .4rem}"
  "@supports selector(:has(a)){.rec-form .substances{display:none}"
  ".rec-form:has(input[name=result][value=positive]:checked) .substances{display:block}"
  ".rec-form .ev-only{display:none}"
  ".rec-form:has(option[value=leave]:checked) .ev-leave,.rec-form:has(option[value=absence]:checked) .ev-absence,"
  ".rec-form:has(option[value=transfer_request]:checked) .ev-transfer_request{display:block}"
  ".rec-form:has(option[value=detained]:checked) .ev-custody,.rec-form:has(option[value=imprisoned]:checked) .ev-custody,"
  ".rec-form:has(option[value=extension]:checked) .ev-custody,.rec-form:has(option[value=offence]:checked) .ev-offence"
  "{display:block}}"
  ".rec-actions{display:flex;gap:.75rem;margin:1.25rem 0}"
  "button.big,.button.big{min-height:3.2rem;font-size:1.1rem;padding:.7rem 1.2rem;text-align:center;border-radius:6px}"
  ".rec-actions .big{flex:1}"
  ".rec-buttons{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0 1rem}.rec-buttons .big{flex:1 1 10rem}"
  "button.small,.button.small{min-height:0;padding:.3rem .7rem;font-size:.9rem;border-radius:4px}"
  ".wcounts{display:flex;flex-wrap:wrap;gap:.4rem;margin:.5rem 0}"
  ".chip{display:inline-block;padding:.3rem .7rem;border-radius:1rem;background:#fff;border:1px solid var(--line);text-decoration:none;color:var(--fg)}"
  ".chip b{color:var(--accent)}.chip.on{background:var(--accent);color:#fff;border-color:var(--accent)}.chip.on b{color:#fff}"
  ".chip.r-test_overdue b,.chip.r-talk_overdue b,.chip.r-missed_two_tests b,.chip.r-serious_breach b,.chip.r-lost_contact b{color:var(--bad)}"
  ".sorts{margin:.25rem 0 .5rem;color:var(--muted)}"
  ".wgroup h2 .count,h2 .count{display:inline-block;min-width:1.6rem;padding:0 .4rem;border-radius:1rem;background:#e4e9f0;font-size:.85em;text-align:center}"
  ".wlist{list-style:none;margin:0;padding:0;background:#fff;border:1px solid var(--line);border-radius:6px}"
  ".witem{display:flex;justify-content:space-between;align-items:center;gap:.75rem;padding:.6rem .8rem;border-bottom:1px solid var(--line)}"
  ".witem:last-child{border-bottom:none}.wname{font-weight:600;font-size:1.05rem}.wact{flex:none}"
  ".witem .reason{font-size:.9em}.due{color:var(--muted)}"
  ".empty{padding:1.5rem;text-align:center;background:#fff;border:1px dashed var(--line);border-radius:6px}"
  ".tasks{padding-left:1.2rem}.tasks li{margin:.35rem 0}"
  ".badge.ok,.badge.st-approved{background:#e8f5ec;color:var(--ok)}.badge.res-positive,.badge.st-rejected{background:#fdecea;color:var(--bad)}"
  ".badge.res-refused,.badge.res-absent,.badge.st-pending{background:#fff4de;color:var(--warn)}"
  ".alert.relapse{font-size:1.05rem}.badge{white-space:nowrap}table.records td:first-child{white-space:nowrap}"
  "details.propose{border-top:1px solid var(--line);padding:.5rem 0}details.propose summary,details.fk summary,details.calendar summary{cursor:pointer;font-weight:600;padding:.4rem 0}"
  "table.records .notes{white-space:pre-wrap}code.spec{white-space:pre-wrap;word-break:break-all}.spec-help{white-space:pre-wrap;word-break:break-all;background:#f0f3f7;padding:.5rem}"
  ".calendar input{width:100%;margin:.4rem 0}"
  /* attachments (web/attachment.c): thumbnails are the images scaled down by the browser */
  ".thumbs{list-style:none;display:flex;flex-wrap:wrap;gap:.5rem;padding:0;margin:.25rem 0}"
  ".thumbs li{max-width:8rem}.thumbs a{display:block;text-decoration:none}.thumbs img,.thumbs .filebox{display:block;"
  "width:8rem;height:6rem;object-fit:cover;border:1px solid var(--line);border-radius:4px;background:#f0f3f7}"
  ".thumbs .filebox{line-height:6rem;text-align:center;font-weight:600}.thumbs .fname{display:block;font-size:.8em;"
  "overflow:hidden;text-overflow:ellipsis;white-space:nowrap}"
  ".attachments form.upload{margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}"
  ".attachments input[type=file]{width:14rem;max-width:100%;min-width:0}"
  "details.void summary{cursor:pointer;font-size:.85em}"
  "@media (max-width:640px){.thumbs li{max-width:calc(50% - .25rem)}.thumbs img,.thumbs .filebox{width:100%;height:7rem}}"
  "@media (max-width:640px){.witem{flex-wrap:wrap}.wact{width:100%}.wact .button{display:block;text-align:center;padding:.6rem}"
  "h1{font-size:1.25rem}header.top{padding:.5rem .75rem}header nav{gap:.75rem}.choice{flex-basis:40%}}"
  "@media (max-width:640px){main{padding:.5rem}th.opt,td.opt{display:none}.who{margin-left:0}"
  "input,select,textarea,button{min-height:3rem;font-size:16px}.grid{grid-template-columns:minmax(0,1fr)}"
  "table.team,table.team tbody,table.team tr,table.team td{display:block;width:100%}table.team thead{display:none}"
  "table.team tr{border-bottom:1px solid var(--line);padding:.25rem 0}}"
  /* the unit picker (web/org_pick.c) */
  "[hidden]{display:none!important}"
  ".picker select,.pick-search{width:100%;min-width:12rem}.pick-search{margin-bottom:.25rem}"
  /* the org tree (web/page_org.c): nested lists */
  "ul.tree,ul.tree ul{list-style:none;margin:0;padding:0}ul.tree ul{margin-left:.6rem;padding-left:1rem;border-left:1px solid var(--line)}"
  "ul.tree li{margin:.15rem 0}.tree .unit{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:baseline;padding:.2rem 0}"
  ".tree .unit strong{font-weight:600}.tree .lvl-county>.unit strong{font-size:1.05rem}"
  /* the case file's in-page menu (web/page_person.c) and its anchors below it */
  "html{scroll-padding-top:3.5rem}"
  "nav.filemenu{position:sticky;top:0;z-index:5;display:flex;flex-wrap:wrap;gap:.35rem;padding:.45rem 0;margin:0 0 .5rem;background:var(--bg);border-bottom:1px solid var(--line)}"
  "nav.filemenu a{padding:.3rem .7rem;border-radius:1rem;background:#fff;border:1px solid var(--line);text-decoration:none}"
  /* the person list: sortable headers, the filter form, rows per page */
  "th a.sort{color:inherit;text-decoration:none}th a.sort:hover{text-decoration:underline}th[aria-sort] a.sort{color:var(--accent)}"
  ".filters .field{min-width:0}.filters details{flex-basis:100%}"
  "table.tiers input{width:5.5rem;min-width:0}"
  /* the statistics (web/page_stats.c): a wide table scrolls inside its box on a screen (cards on a
   * phone), numbers to the right, the total row bold, the charts no wider than the page */
  ".scroll{overflow-x:auto}table.stats td.num,table.stats th.num,table.items td.num{text-align:right;white-space:nowrap}"
  "table.stats tr.total td{font-weight:600;background:#f7f9fc}table.stats small{color:var(--muted)}"
  "table.stats td:first-child{white-space:nowrap}table.stats th.num{min-width:4.5em}"
  "@media screen and (max-width:600px){table.stats td.num{text-align:left}}"
  "svg.mix,img.trend{max-width:100%;height:auto}ol.notes li{margin:.2rem 0}"
  /* tables fold into cards on a phone: every <table> with a header row is data-cards and each cell carries
   * its column's header as data-label (web/table_cards.c) */
  "td,th,dd{overflow-wrap:anywhere}"
  "@media screen and (max-width:600px){table[data-cards]{background:none}"
  "table[data-cards],table[data-cards]>tbody,table[data-cards]>tbody>tr,table[data-cards]>tbody>tr>td{display:block;width:100%}"
  "table[data-cards]>thead{display:none}"
  "table[data-cards]>tbody>tr{background:#fff;border:1px solid var(--line);border-radius:6px;margin:.5rem 0;padding:.3rem .6rem}"
  "table[data-cards]>tbody>tr>td{border:none;padding:.2rem 0}table[data-cards]>tbody>tr>td.opt{display:block}"
  "table[data-cards]>tbody>tr>td[data-label]{position:relative;padding-left:6.5rem;min-height:1.6rem}"
  "table[data-cards]>tbody>tr>td[data-label]::before{content:attr(data-label);position:absolute;left:0;width:6rem;color:var(--muted);font-size:.9em}"
  "dl.kv{grid-template-columns:minmax(0,6rem) minmax(0,1fr)}}"
  "body.print-view{background:#fff}body.print-view main{max-width:none}"
  ".print-only{display:none}"
  "@media print{header.top,.no-print,.actions,.pager,form{display:none!important}body{background:#fff;font-size:11pt}"
  "main{max-width:none;padding:0}.card{border:none;padding:0}h2{break-after:avoid}table,dl.kv{break-inside:avoid}"
  ".print-only{display:block}@page{size:A4;margin:15mm}"
  ".page-break{break-before:page}table.records{break-inside:auto}table.records tr{break-inside:avoid}"
  ".scroll{overflow:visible}table.stats{font-size:9pt}table.stats th,table.stats td{padding:.2rem .25rem}}";

/* The script: a confirmation before forms marked data-confirm; while a
 * form's request runs, its submit buttons are disabled (a double tap sends
 * one request; the server's one-time token catches what gets through, and
 * pages work without the script), enabled again when the page is shown
 * from the history or after 15 s without an answer; the print button; the
 * unit picker's search box; the rows of form tables; the birth date and sex
 * filled from a typed ID number. */
static const char static_js[] =
  "document.addEventListener('submit',function(e){var f=e.target;var m=f.getAttribute('data-confirm');"
  "if(m&&!window.confirm(m)){e.preventDefault();}},true);"
  "document.addEventListener('submit',function(e){var f=e.target;if(e.defaultPrevented||f.method!=='post')return;"
  "if(f.dataset.sending){e.preventDefault();return;}f.dataset.sending='1';"
  "setTimeout(function(){f.querySelectorAll('button[type=submit],button:not([type])').forEach(function(b){b.disabled=true;});},0);"
  "setTimeout(function(){jdSendable(f);},15000);});"
  "function jdSendable(f){delete f.dataset.sending;f.querySelectorAll('button').forEach(function(b){b.disabled=false;});}"
  "window.addEventListener('pageshow',function(){document.querySelectorAll('form[data-sending]').forEach(jdSendable);});"
  "document.addEventListener('click',function(e){var b=e.target.closest('[data-print]');if(b){e.preventDefault();window.print();}});"
  /* the unit picker (web/org_pick.c): a search box before each select[data-pick] narrows its options to the
   * units whose name or path holds what is typed and chooses the first of them */
  "(function(){var each=Array.prototype.forEach;"
  "each.call(document.querySelectorAll('select[data-pick]'),function(s){"
  "var q=document.createElement('input');q.type='search';q.className='pick-search';q.autocomplete='off';"
  "q.placeholder=s.getAttribute('data-pick');q.setAttribute('aria-label',s.getAttribute('data-pick'));"
  "s.parentNode.insertBefore(q,s);"
  "q.addEventListener('keydown',function(e){if(e.key==='Enter')e.preventDefault();});"
  "q.addEventListener('input',function(){var t=q.value.trim().toLowerCase(),first=null,n=0;"
  "each.call(s.options,function(o){var ok=!t||(o.value!==''&&((o.title||'')+' '+o.text).toLowerCase().indexOf(t)>=0);"
  "o.hidden=!ok;if(ok&&t){n++;if(!first)first=o;}});"
  "each.call(s.querySelectorAll('optgroup'),function(g){g.hidden=!Array.prototype.some.call(g.children,function(o){return !o.hidden;});});"
  "if(first&&(s.selectedIndex<0||s.options[s.selectedIndex].hidden))first.selected=true;"
  "s.size=t&&n>1?Math.min(n,8):0;s.dispatchEvent(new Event('change',{bubbles:true}));});});"
  /* rows of a form table (data-rows): the empty ones after the first are hidden until 添加一行 shows the next */
  "each.call(document.querySelectorAll('table[data-rows]'),function(t){"
  "var rows=t.tBodies[0].rows,empty=function(r){return !Array.prototype.some.call(r.querySelectorAll('input'),function(i){return i.value!=='';});};"
  "var seen=false;each.call(rows,function(r){if(empty(r)){if(seen)r.hidden=true;seen=true;}});"
  "var b=document.createElement('button');b.type='button';b.className='secondary small';b.textContent=t.getAttribute('data-rows');"
  "t.parentNode.insertBefore(b,t.nextSibling);b.addEventListener('click',function(){"
  "var h=Array.prototype.find.call(rows,function(r){return r.hidden;});if(h)h.hidden=false;"
  "if(!Array.prototype.some.call(rows,function(r){return r.hidden;}))b.hidden=true;});"
  "if(!Array.prototype.some.call(rows,function(r){return r.hidden;}))b.hidden=true;});"
  /* the case-file form: once the 18 characters of the ID number are typed and its digits 7-14 are a real
   * day, the birth date and the sex (digit 17: odd for men) are filled from it (the server checks them
   * against it again, the check character too) */
  "var idn=document.getElementById('f-id_number'),sx=document.getElementById('f-sex'),bd=document.getElementById('f-birth_date');"
  "if(idn&&sx&&bd)idn.addEventListener('input',function(){var v=idn.value.trim().toUpperCase();"
  "if(!/^[0-9]{17}[0-9X]$/.test(v))return;var y=+v.substr(6,4),m=+v.substr(10,2),d=+v.substr(12,2),t=new Date(Date.UTC(y,m-1,d));"
  "if(y<1900||t.getUTCFullYear()!==y||t.getUTCMonth()!==m-1||t.getUTCDate()!==d)return;"
  "bd.value=v.substr(6,4)+'-'+v.substr(10,2)+'-'+v.substr(12,2);sx.value=(+v.charAt(16))%2?'M':'F';"
  "bd.dispatchEvent(new Event('change',{bubbles:true}));sx.dispatchEvent(new Event('change',{bubbles:true}));});"
  "})();";

/* GET /static/app.css and /static/app.js: the compiled-in assets. */
void page_static(Req *r) {
  bool css = strcmp(r->path, "/static/app.css") == 0;
  buf_clear(&r->out);
  if (css) buf_append(&r->out, static_css, sizeof static_css - 1);
  else buf_append(&r->out, static_js, sizeof static_js - 1);
  r->content_type = css ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
  resp_header(r, "Cache-Control", "public, max-age=3600");
  r->done = true;
}
