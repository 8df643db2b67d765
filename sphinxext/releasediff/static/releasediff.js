/* sphinxext-releasediff: following a link to a collapsed file diff opens it.
   Without scripts the page still works: the summary is shown and opens on a click. */
(function () {
    "use strict";

    function openTarget() {
        var id;
        try {
            id = decodeURIComponent(window.location.hash.slice(1));
        } catch (error) {
            return; // a malformed address: nothing to open
        }
        if (!id) {
            return;
        }
        var target = document.getElementById(id);
        if (!target) {
            return;
        }
        var opened = false;
        for (var node = target; node; node = node.parentElement) {
            if (node.tagName === "DETAILS" && !node.open) {
                node.open = true;
                opened = true;
            }
        }
        if (opened) {
            target.scrollIntoView();
        }
    }

    window.addEventListener("hashchange", openTarget);
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", openTarget);
    } else {
        openTarget();
    }
})();
