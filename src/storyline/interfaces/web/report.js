// Storyline comparison report: highlight a finding's evidence, filter findings, pick columns.
(() => {
  'use strict';
  const $ = (s, r = document) => r.querySelector(s);
  const $$ = (s, r = document) => Array.from(r.querySelectorAll(s));
  const CONFIG = JSON.parse($('#config').textContent);
  const COLOURS = 6;  // side colours in the CSS; letters tell sides apart beyond that
  let active = null;

  // A mark's token is a finding id ("g3") or a dispute side ("d1:0") of that finding.
  function tokenOf(mark, id) {
    for (const t of (mark.dataset.ids || '').split(' ')) {
      if (t === id || t.startsWith(id + ':')) return t;
    }
    return null;
  }

  function clear() {
    $$('mark.hit').forEach(m => {
      m.classList.remove('hit');
      delete m.dataset.side; delete m.dataset.lead; delete m.dataset.first;
    });
    $$('[data-f].on').forEach(e => { e.classList.remove('on'); e.setAttribute('aria-pressed', 'false'); });
  }

  function show(id, keep) {
    const again = active === id && !keep;
    clear();
    active = again ? null : id;
    if (active !== null) {
      $$('[data-f]').filter(e => e.dataset.f === id).forEach(e => {
        e.classList.add('on'); e.setAttribute('aria-pressed', 'true');
      });
      $$('mark').forEach(m => {
        const t = tokenOf(m, id);
        if (t === null) return;
        m.classList.add('hit');
        const starts = (m.dataset.starts || '').split(' ').includes(t);
        if (starts) m.dataset.first = '1';
        if (t !== id) {
          const side = Number(t.slice(id.length + 1));
          m.dataset.side = String(side % COLOURS);
          if (starts) m.dataset.lead = CONFIG.letters[side % CONFIG.letters.length];
        }
      });
    }
    counts();
    reveal();
  }

  // How many evidence spans of the active finding each article holds, on its column and box.
  function counts() {
    $$('section.article').forEach(sec => {
      const n = $$('mark.hit[data-first]', sec).length;
      const label = n ? n + (n === 1 ? ' mark' : ' marks') : '';
      $('.stats .hits', sec).textContent = label;
      const box = $$('#picker input').find(i => i.value === sec.dataset.col);
      if (box) box.parentElement.querySelector('.hits').textContent = n ? String(n) : '';
    });
  }

  // Scroll every shown column to its first highlighted mark, and the row to the first column.
  function reveal() {
    let firstCol = null;
    $$('section.article:not([hidden])').forEach(sec => {
      const m = $('mark.hit', sec);
      if (!m) return;
      const text = $('.text', sec);
      text.scrollTop = Math.max(0, m.offsetTop - text.clientHeight / 3);
      firstCol = firstCol || sec;
    });
    const row = $('#articles');
    if (firstCol) {
      const left = firstCol.offsetLeft, right = left + firstCol.offsetWidth;
      if (left < row.scrollLeft || right > row.scrollLeft + row.clientWidth) row.scrollLeft = left;
    }
  }

  // Outlet picker: which article columns stand side by side.
  function applyColumns() {
    const on = new Set($$('#picker input:checked').map(i => i.value));
    $$('section.article').forEach(sec => { sec.hidden = !on.has(sec.dataset.col); });
    $$('#matrix .oc').forEach(th => th.classList.toggle('sel', on.has(th.dataset.col)));
    $('#nshown').textContent = String(on.size);
  }
  function setColumns(keys) {
    const want = new Set(keys);
    $$('#picker input').forEach(i => { i.checked = want.has(i.value); });
    applyColumns();
  }
  $$('#picker input').forEach(i => i.addEventListener('change', () => { applyColumns(); reveal(); }));
  $('#pick-all').addEventListener('click', () => { setColumns($$('#picker input').map(i => i.value)); reveal(); });
  $('#pick-default').addEventListener('click', () => { setColumns(CONFIG.default); reveal(); });
  $$('#matrix .oc').forEach(th => th.addEventListener('click', () => {
    const box = $$('#picker input').find(i => i.value === th.dataset.col);
    box.checked = !box.checked; applyColumns(); reveal();
  }));

  // Findings and matrix rows: click (or Enter / Space) marks their evidence.
  $$('[data-f]').forEach(el => {
    el.addEventListener('click', ev => {
      const button = ev.target.closest('button.sbs');
      if (button) {
        setColumns(button.dataset.cols.split(' '));
        show(el.dataset.f, true);
      } else {
        show(el.dataset.f, false);
      }
    });
    el.addEventListener('keydown', ev => {
      if ((ev.key === 'Enter' || ev.key === ' ') && ev.target === el) {
        ev.preventDefault(); show(el.dataset.f, false);
      }
    });
  });

  // Filter chips: dispute kinds and finding types; a card shows when both allow it.
  function applyFilters() {
    const off = attr => new Set($$('.chip[' + attr + '][aria-pressed=false]')
      .map(c => c.getAttribute(attr)));
    const kinds = off('data-kind'), types = off('data-type');
    $$('#findings .fsec').forEach(sec => { sec.hidden = types.has(sec.dataset.type); });
    $$('#findings .card').forEach(card => {
      card.hidden = !!card.dataset.kind && kinds.has(card.dataset.kind);
    });
  }
  $$('.chip').forEach(chip => chip.addEventListener('click', () => {
    chip.setAttribute('aria-pressed', chip.getAttribute('aria-pressed') === 'true' ? 'false' : 'true');
    applyFilters();
  }));
  applyColumns();
})();
