// Deployment entry point (package.json "main"): registers every function; Cloud Functions picks one by
// its entry point (--target). Each folder's index.ts can also be loaded alone.
import './auth/index.js';
import './bib-sync/index.js';
import './crm/index.js';
import './notify/index.js';
