import{b as a,c as b,d as c}from"./chunk-J7RJFDNA.js";import"./chunk-ZUCPKZLY.js";import"./chunk-JKGQY5VS.js";import"./chunk-DW6HECIG.js";export{a as GIT_ENV_KEPT,c as Git,b as gitEnvironment};
