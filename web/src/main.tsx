import { createRoot } from 'react-dom/client';
import 'react-big-calendar/lib/css/react-big-calendar.css';
import 'react-big-calendar/lib/addons/dragAndDrop/styles.css';
import './styles.css';
import { App } from './App';

createRoot(document.getElementById('root')!).render(<App />);
