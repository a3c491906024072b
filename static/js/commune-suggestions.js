// Suggestions for the "where" field (templates/partials/commune_field.html): as a person types a
// postcode or a commune name, a <datalist> is filled from GET /api/v1/communes. Progressive
// enhancement only: without this script the form works the same (the server asks which commune
// when several fit). No inline script: the page's Content-Security-Policy forbids it.
(function () {
  'use strict';

  var WAIT_MS = 250;
  var LIMIT = 8;

  // "51300 Vitry-le-François": postcode and name, as on an envelope, so that the server knows
  // which commune was picked. Paris, Lyon and Marseille as a whole get their name alone: the
  // server then asks for the arrondissement.
  function optionValue(commune, typed) {
    if (commune.type === 'ville_arrondissements' || commune.postcodes.length === 0) {
      return commune.nom;
    }
    var postcode = commune.postcodes.indexOf(typed) >= 0 ? typed : commune.postcodes[0];
    return postcode + ' ' + commune.nom;
  }

  function optionLabel(commune) {
    var label = 'Département ' + commune.departement;
    if (commune.ancien_nom) {
      label += ' — anciennement ' + commune.ancien_nom;
    }
    return label;
  }

  function enhance(input) {
    if (input.dataset.suggestionsReady || !window.fetch) {
      return;
    }
    input.dataset.suggestionsReady = 'oui';
    var list = document.createElement('datalist');
    list.id = input.id + '-suggestions';
    input.insertAdjacentElement('afterend', list);
    input.setAttribute('list', list.id);

    var timer = null;
    var asked = '';
    var pending = null;

    function fill(communes, typed) {
      var options = communes.map(function (commune) {
        var option = document.createElement('option');
        option.value = optionValue(commune, typed);
        option.label = optionLabel(commune);
        return option;
      });
      list.replaceChildren.apply(list, options);
    }

    function ask(typed) {
      if (typed.length < 2 || typed === asked) {
        return;
      }
      asked = typed;
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      var url = input.dataset.suggestions + '?limit=' + LIMIT + '&q=' + encodeURIComponent(typed);
      fetch(url, { signal: pending.signal, headers: { Accept: 'application/json' } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (communes) { fill(communes, typed); })
        .catch(function () { /* no suggestions: the form still works */ });
    }

    input.addEventListener('input', function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { ask(input.value.trim()); }, WAIT_MS);
    });
  }

  document.querySelectorAll('input[data-suggestions]').forEach(enhance);
})();
