var r={now:()=>Date.now(),sleep:n=>new Promise(t=>setTimeout(t,Math.max(0,n)))};var e=/\r\n|\r|\n/,o=/^[\s\u0085]*::/;function i(n){return n.split(e).some(t=>o.test(t)||t.includes("##["))}function u(n,t){return`::stop-commands::${t}
${n}
::${t}::`}function c(n){return JSON.stringify(n).replace(/[\u0085\u2028\u2029]/g,t=>`\\u${t.charCodeAt(0).toString(16).padStart(4,"0")}`).replace(/##\[/g,"##\\u005b")}export{r as a,i as b,u as c,c as d};
