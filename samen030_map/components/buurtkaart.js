// The map's behaviour in the browser, in one place. components/map_view.py hands these functions to
// react-leaflet; the page module runs this file once, before anything renders.
// Names and other data only ever reach the page as text (textContent), never as markup.
if (typeof window !== "undefined") {
  window.buurtkaart = (() => {
    const LABEL_ZOOM = 14; // buurt names as labels from this zoom level, where they fit
    const FLY_OPTIONS = { duration: 0.4, maxZoom: 14.5, padding: [24, 24] };
    const FIT_OPTIONS = { maxZoom: 14.5, padding: [24, 24] };
    const ZOOM_SNAP = 0.25;
    let map = null;
    let target = null; // bounds asked for before the map existed
    let spider = []; // layers of an opened stack of markers
    const backgroundHandlers = {}; // per credit text, so react-leaflet gets the same object every render

    function textElement(text, className, tag = "div") {
      const element = document.createElement(tag);
      if (className) element.className = className;
      element.textContent = text;
      return element;
    }

    function markerIcon(symbol, shape, approximate) {
      return window.L.divIcon({
        html: textElement(symbol, "", "span"),
        className: `kind-marker ${shape}${approximate ? " approx" : ""}`,
        iconSize: [26, 26],
      });
    }

    function closeSpider() {
      spider.forEach((layer) => layer.remove());
      spider = [];
    }

    // ---- the presentation mode: keys and a presenter's clicker press the tour card's buttons ----
    const TOUR_KEYS = { ArrowRight: "tour-next", PageDown: "tour-next", " ": "tour-next", ArrowLeft: "tour-prev", PageUp: "tour-prev", Escape: "tour-exit" };
    let fullscreenForTour = false;

    function presenting() {
      return document.querySelector(".dashboard.presenting") !== null;
    }

    function press(id) {
      const button = document.getElementById(id);
      if (button && !button.disabled) button.click();
    }

    function enterFullscreen() {
      const root = document.documentElement;
      if (document.fullscreenElement || !root.requestFullscreen) return;
      root.requestFullscreen().then(() => { fullscreenForTour = true; }, () => {}); // refused: present in the window
    }

    if (typeof document !== "undefined") {
      // Capture phase: before Leaflet pans on an arrow key or a focused button reacts to Space.
      document.addEventListener("keydown", (event) => {
        const id = TOUR_KEYS[event.key];
        if (!id || !presenting() || event.altKey || event.ctrlKey || event.metaKey) return;
        if (event.target.closest && event.target.closest("input, textarea, select, [contenteditable]")) return;
        event.preventDefault();
        event.stopPropagation();
        press(id);
      }, true);
      // Fullscreen needs the click itself (a browser refuses it later, after the server answered).
      document.addEventListener("click", (event) => {
        if (event.target.closest && event.target.closest("[data-fullscreen]")) enterFullscreen();
      });
      // Escape in fullscreen only reaches the browser: leaving fullscreen leaves the presentation too.
      document.addEventListener("fullscreenchange", () => {
        if (document.fullscreenElement || !fullscreenForTour) return;
        fullscreenForTour = false;
        if (presenting()) press("tour-exit");
      });
      // Stopping the presentation by its button also leaves fullscreen.
      document.addEventListener("click", (event) => {
        if (event.target.closest && event.target.closest("#tour-exit") && fullscreenForTour && document.fullscreenElement) {
          fullscreenForTour = false;
          document.exitFullscreen().catch(() => {});
        }
      });
    }

    return {
      textElement,
      closeSpider,

      // Runs when react-leaflet has created the map, before any layer is added.
      mapReady(event, home) {
        map = event.target;
        window.buurtkaartMap = map; // for tests and the print layout
        // Label panes: buurt names under the markers, wijk names above them (no marker hides a wijk name).
        for (const [name, zIndex] of [["buurtlabels", 430], ["wijklabels", 640]]) {
          const pane = map.createPane(name);
          pane.style.zIndex = zIndex;
          pane.style.pointerEvents = "none";
        }
        const container = map.getContainer();
        const showLabels = () => container.classList.toggle("show-buurt-labels", map.getZoom() >= LABEL_ZOOM);
        map.on("zoomend", showLabels);
        map.on("click zoomstart", closeSpider);
        showLabels();
        // The layout may still be settling when the map is ready: measure again before zooming.
        requestAnimationFrame(() => {
          map.invalidateSize();
          map.fitBounds(target || home, target ? FIT_OPTIONS : { animate: false });
          map.options.zoomSnap = ZOOM_SNAP; // the first fit was fractional, like the static map
        });
        // Printing changes the map's size: redraw it for the page, and back afterwards.
        const refit = () => {
          map.invalidateSize({ animate: false });
          map.fitBounds(target || home, { ...FIT_OPTIONS, animate: false });
        };
        window.addEventListener("beforeprint", refit);
        window.addEventListener("afterprint", refit);
        // Whenever the map area changes size (the presentation card, a rotated phone), Leaflet measures again.
        if (window.ResizeObserver) new ResizeObserver(() => map.invalidateSize({ animate: false })).observe(container);
      },

      flyTo(bounds) {
        target = bounds;
        if (!map) return;
        map.invalidateSize({ animate: false }); // the presentation mode may just have changed the map's size
        map.flyToBounds(bounds, FLY_OPTIONS);
      },

      // The buurten are on the map: the loading sign can go.
      drawn() {
        document.getElementById("map")?.classList.add("map-drawn");
      },

      // Each buurt: its name on hover, and on a long press (touch screens send contextmenu).
      buurtFeature(feature, layer) {
        layer.bindTooltip(() => textElement(feature.properties.name), { sticky: true, className: "buurt-tooltip" });
        layer.on("contextmenu", (event) => layer.openTooltip(event.latlng));
      },

      // A buurt name as a label at its representative point (shown from LABEL_ZOOM on, by CSS).
      buurtLabel(feature, latlng) {
        return window.L.marker(latlng, {
          icon: window.L.divIcon({ html: textElement(feature.properties.name), className: "buurt-label", iconSize: null }),
          interactive: false,
          keyboard: false,
          pane: "buurtlabels",
        });
      },

      // Wijk names in a pane above the markers, so a marker never hides them.
      wijkLabel(feature, layer) {
        layer.bindTooltip(() => textElement(feature.properties.name), {
          permanent: true,
          direction: "center",
          className: "wijk-label",
          pane: "wijklabels",
        });
      },

      // One marker per point; a point can hold several entries (they share a buurt's or wijk's centre).
      marker(feature, latlng, visibleKeys) {
        const p = feature.properties;
        const shown = p.keys.filter((key) => visibleKeys.includes(key));
        const one = shown.length === 1 ? p.keys.indexOf(shown[0]) : -1;
        const marker = window.L.marker(latlng, {
          icon: one >= 0 ? markerIcon(p.symbols[one], p.shapes[one], p.approximate[one]) : markerIcon(String(shown.length), p.shape, p.approximate.some(Boolean)),
          keyboard: true,
          title: shown.map((key) => p.names[p.keys.indexOf(key)]).join("\n"),
        });
        marker.shownKeys = shown;
        return marker;
      },

      // A click on a stack spreads its entries in a circle, each with its name; a click on one opens it.
      // The spread markers join the clicked layer group, so their clicks reach the same Python handler.
      spiderfy(event) {
        const stack = event.propagatedFrom || event.layer;
        if (!stack || !stack.shownKeys || stack.shownKeys.length < 2 || stack.isSpread) return;
        closeSpider();
        const group = event.target;
        const p = stack.feature.properties;
        const centre = map.latLngToLayerPoint(stack.getLatLng());
        const count = stack.shownKeys.length;
        const radius = Math.max(48, count * 12);
        stack.shownKeys.forEach((key, i) => {
          const index = p.keys.indexOf(key);
          const angle = (2 * Math.PI * i) / count - Math.PI / 2;
          const spot = map.layerPointToLatLng(centre.add(window.L.point(Math.cos(angle) * radius, Math.sin(angle) * radius)));
          const leg = window.L.polyline([stack.getLatLng(), spot], { color: "#333", weight: 1.5, interactive: false, pane: "markers" });
          const spread = window.L.marker(spot, {
            icon: markerIcon(p.symbols[index], p.shapes[index], p.approximate[index]),
            keyboard: true,
            title: p.names[index],
            zIndexOffset: 1000,
          });
          spread.feature = { type: "Feature", properties: { keys: [key] } };
          spread.shownKeys = [key];
          spread.isSpread = true;
          spread.bindTooltip(textElement(p.names[index]), {
            permanent: true,
            direction: Math.cos(angle) >= 0 ? "right" : "left",
            className: "spread-label",
          });
          leg.addTo(map);
          group.addLayer(spread);
          spider.push(leg, spread);
        });
      },

      // The background map's credit shows only once one of its tiles has really loaded.
      backgroundEvents(credit) {
        return (backgroundHandlers[credit] ??= {
          tileload: (event) => {
            const layerMap = event.target._map;
            if (layerMap && !event.target.creditShown) {
              layerMap.attributionControl.addAttribution(credit);
              event.target.creditShown = true;
            }
          },
          remove: (event) => {
            if (event.target.creditShown && map) map.attributionControl.removeAttribution(credit);
            event.target.creditShown = false;
          },
        });
      },
    };
  })();
}
