import{a as e,b as r}from"./chunk-DW6HECIG.js";var p=r((s,i)=>{i.exports=e("node:events")});var q=r((t,o)=>{o.exports=e("node:assert")});export{p as a,q as b};
