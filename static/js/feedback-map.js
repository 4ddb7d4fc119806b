/* Maps of the public 1022 pages (Leaflet). Every page works without this script and without tiles:
 * the maps only add to the list, the follow page and the address field of the form.
 *
 * <div class="feedback-map" data-map="list|point|pick" data-tiles="…{z}/{x}/{y}…" data-attribution="…">
 *   list:  data-src (JSON of the published reports), data-label-* (popup labels, "{n}" in data-label-count);
 *          the markers are clustered (leaflet.markercluster) and a heat view of the same reports (leaflet.heat)
 *          is offered beside them, each when its plugin loaded
 *   every map: data-tile-status (id of a status line) and data-label-tiles (its text when tiles fail to load)
 *   point: data-lat, data-lng
 *   pick:  data-lat-input, data-lng-input (ids of the hidden fields), data-locate, data-clear, data-status (ids),
 *          data-label-* (status messages)
 */
(function () {
  "use strict";

  var CITY = [10.7769, 106.7009]; // Ho Chi Minh City centre
  var CITY_ZOOM = 12;
  var PLACE_ZOOM = 16;

  function label(el, name, fallback) {
    return el.getAttribute("data-label-" + name) || fallback || "";
  }

  function base(el, options) {
    var map = L.map(el, options || {});
    // the library's name without the flag Leaflet adds by default: the city's pages carry no other flag
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    var tiles = el.getAttribute("data-tiles");
    if (tiles) {
      // Without network the tiles fail: the markers and the page still work, and the page says so.
      var layer = L.tileLayer(tiles, { maxZoom: 19, attribution: el.getAttribute("data-attribution") || "" });
      var status = document.getElementById(el.getAttribute("data-tile-status") || "");
      layer.on("tileerror", function () {
        el.setAttribute("data-tiles-failed", "1");
        if (status && !status.textContent) status.textContent = label(el, "tiles", "");
      });
      layer.addTo(map);
    }
    return map;
  }

  function line(parent, name, value) {
    if (!value) return;
    var p = document.createElement("div");
    var b = document.createElement("strong");
    b.textContent = name + ": ";
    p.appendChild(b);
    p.appendChild(document.createTextNode(value));
    parent.appendChild(p);
  }

  function popup(el, point) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var title = document.createElement("a");
    title.href = point.url;
    title.textContent = point.code;
    var head = document.createElement("div");
    head.appendChild(title);
    box.appendChild(head);
    line(box, label(el, "category", "Category"), point.category);
    line(box, label(el, "unit", "Handled by"), point.unit);
    line(box, label(el, "status", "Status"), point.status);
    line(box, label(el, "date", "Published"), point.date);
    var more = document.createElement("a");
    more.href = point.url;
    more.textContent = label(el, "follow", "Follow this report");
    box.appendChild(more);
    return box;
  }

  function listMap(el) {
    var map = base(el).setView(CITY, CITY_ZOOM);
    var count = document.getElementById(el.getAttribute("data-count") || "");
    fetch(el.getAttribute("data-src"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        var bounds = [];
        // nearby reports grouped in numbered circles, when the clustering plugin loaded
        var markers = typeof L.markerClusterGroup === "function" ? L.markerClusterGroup() : L.layerGroup();
        data.points.forEach(function (point) {
          var marker = L.marker([point.lat, point.lng], { title: point.code, alt: point.code });
          marker.bindPopup(popup(el, point));
          markers.addLayer(marker);
          bounds.push([point.lat, point.lng]);
        });
        markers.addTo(map);
        if (typeof L.heatLayer === "function" && bounds.length) {
          // the same reports as a heat view: where they are most frequent in the period
          var heat = L.heatLayer(
            bounds.map(function (b) {
              return [b[0], b[1], 0.6];
            }),
            { radius: 22, blur: 18, maxZoom: 15 }
          );
          var views = {};
          views[label(el, "markers", "Markers")] = markers;
          views[label(el, "heat", "Density")] = heat;
          L.control.layers(views, null, { collapsed: false }).addTo(map);
        }
        // straight to the reports, without a zoom animation: the page opens on them, and data-loaded
        // means the markers are where they will stay (a click during the animation would be lost)
        if (bounds.length) map.fitBounds(bounds, { maxZoom: PLACE_ZOOM, padding: [24, 24], animate: false });
        el.setAttribute("data-loaded", String(data.points.length));
        if (count) count.textContent = label(el, "count", "{n}").replace("{n}", String(data.points.length));
      })
      .catch(function () {
        el.setAttribute("data-loaded", "error");
        if (count) count.textContent = label(el, "error", "");
      });
  }

  function pointMap(el) {
    var at = [parseFloat(el.getAttribute("data-lat")), parseFloat(el.getAttribute("data-lng"))];
    if (isNaN(at[0]) || isNaN(at[1])) return;
    var map = base(el, { scrollWheelZoom: false }).setView(at, PLACE_ZOOM);
    L.marker(at, { alt: el.getAttribute("aria-label") || "" }).addTo(map);
    el.setAttribute("data-loaded", "1");
  }

  function pickMap(el) {
    var latInput = document.getElementById(el.getAttribute("data-lat-input"));
    var lngInput = document.getElementById(el.getAttribute("data-lng-input"));
    if (!latInput || !lngInput) return;
    var status = document.getElementById(el.getAttribute("data-status") || "");
    var locate = document.getElementById(el.getAttribute("data-locate") || "");
    var clear = document.getElementById(el.getAttribute("data-clear") || "");
    var map = base(el, { scrollWheelZoom: false }).setView(CITY, CITY_ZOOM);
    var marker = null;

    function say(text) {
      if (status) status.textContent = text;
    }

    function set(lat, lng, zoom) {
      latInput.value = lat.toFixed(6);
      lngInput.value = lng.toFixed(6);
      if (marker) marker.setLatLng([lat, lng]);
      else marker = L.marker([lat, lng], { alt: label(el, "marker", "") }).addTo(map);
      if (zoom) map.setView([lat, lng], Math.max(map.getZoom(), zoom));
      if (clear) clear.hidden = false;
      say(label(el, "set", "{lat}, {lng}").replace("{lat}", latInput.value).replace("{lng}", lngInput.value));
    }

    var lat0 = parseFloat(latInput.value);
    var lng0 = parseFloat(lngInput.value);
    if (!isNaN(lat0) && !isNaN(lng0)) set(lat0, lng0, PLACE_ZOOM);

    map.on("click", function (event) {
      set(event.latlng.lat, event.latlng.lng, 0);
    });
    // Keyboard: arrows move the map (Leaflet), Enter or Space puts the marker at its centre.
    el.addEventListener("keydown", function (event) {
      if ((event.key === "Enter" || event.key === " ") && event.target === el) {
        event.preventDefault();
        var centre = map.getCenter();
        set(centre.lat, centre.lng, 0);
      }
    });

    if (clear) {
      clear.addEventListener("click", function () {
        latInput.value = "";
        lngInput.value = "";
        if (marker) map.removeLayer(marker);
        marker = null;
        clear.hidden = true;
        say(label(el, "cleared", ""));
      });
    }

    if (locate && "geolocation" in navigator) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        say(label(el, "locating", ""));
        locate.disabled = true;
        navigator.geolocation.getCurrentPosition(
          function (position) {
            locate.disabled = false;
            set(position.coords.latitude, position.coords.longitude, PLACE_ZOOM);
          },
          function () {
            locate.disabled = false;
            say(label(el, "unavailable", ""));
          },
          { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
        );
      });
    }
  }

  function start() {
    if (typeof L === "undefined") return; // Leaflet did not load: the pages work without maps
    var kinds = { list: listMap, point: pointMap, pick: pickMap };
    document.querySelectorAll(".feedback-map[data-map]").forEach(function (el) {
      var init = kinds[el.getAttribute("data-map")];
      if (!init) return;
      var section = el.closest("[hidden]");
      if (section) section.hidden = false; // a map's section is hidden until this script can draw it
      init(el);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
