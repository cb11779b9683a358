import{a as r,b as i}from"./chunk-DW6HECIG.js";var o=i((p,e)=>{e.exports=r("node:crypto")});export{o as a};
