import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { connect } from './api-client.js';
import { initI18n } from './i18n/index.js';
import './styles.css';

await initI18n();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App connection={connect()} />
  </StrictMode>,
);
