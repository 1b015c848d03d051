// Storyline web app: small progressive enhancements (every page works without it).
(() => {
  'use strict';
  // Article page: the layer checkboxes show or hide that layer's highlights.
  const text = document.getElementById('text');
  document.querySelectorAll('#layers input[type=checkbox]').forEach(box => {
    box.addEventListener('change', () => {
      if (text) text.classList.toggle('hide-' + box.value, !box.checked);
    });
  });
})();
