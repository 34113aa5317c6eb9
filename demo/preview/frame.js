// The page inside the preview's device frame: a mock shop with one <loyalty-launcher> in static
// mode. Being its own document, it gets the real mobile layout (media queries see the frame).
// The editor sets the launcher's program, customer and locale directly (same origin).
import '/web/loyalty-launcher-define.mjs';

const launcher = document.createElement('loyalty-launcher');
document.body.append(launcher);
window.previewLauncher = launcher;
window.dispatchEvent(new Event('preview-launcher-ready'));
