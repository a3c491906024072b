// "Imprimer cette page": shown only when JavaScript can print (the button stays hidden otherwise).
document.querySelectorAll("[data-imprimer]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
