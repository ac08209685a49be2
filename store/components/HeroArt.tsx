/** Two payment cards and a receipt, drawn inline (markup only: nothing for the CSP to block). */
export function HeroArt() {
  return (
    <svg class="hero__art" viewBox="0 0 360 260" aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id="hero-card-a" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stop-color="#fca311" />
          <stop offset="1" stop-color="#f57c00" />
        </linearGradient>
        <linearGradient id="hero-card-b" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stop-color="#e5e9f2" />
          <stop offset="1" stop-color="#a9b7d6" />
        </linearGradient>
      </defs>
      <g transform="rotate(-10 180 130)">
        <rect x="70" y="40" width="220" height="138" rx="16" fill="url(#hero-card-b)" />
        <rect x="70" y="70" width="220" height="26" fill="#14213d" opacity=".75" />
      </g>
      <g transform="rotate(6 180 130)">
        <rect x="40" y="82" width="230" height="144" rx="16" fill="url(#hero-card-a)" />
        <rect x="62" y="116" width="36" height="28" rx="6" fill="#fde7b0" />
        <path d="M62 130h36M80 116v28" stroke="#e0a23a" stroke-width="2" />
        <g fill="#14213d" opacity=".85">
          <rect x="62" y="170" width="38" height="8" rx="4" />
          <rect x="108" y="170" width="38" height="8" rx="4" />
          <rect x="154" y="170" width="38" height="8" rx="4" />
          <rect x="200" y="170" width="38" height="8" rx="4" />
        </g>
        <rect x="62" y="194" width="90" height="7" rx="3.5" fill="#14213d" opacity=".55" />
        <circle cx="226" cy="124" r="14" fill="#14213d" opacity=".35" />
        <circle cx="244" cy="124" r="14" fill="#14213d" opacity=".5" />
      </g>
      <g>
        <path d="M268 20h76v132l-9-6-10 6-9-6-10 6-9-6-10 6-9-6-10 6z" fill="#ffffff" />
        <rect x="280" y="38" width="52" height="6" rx="3" fill="#14213d" opacity=".7" />
        <rect x="280" y="56" width="40" height="5" rx="2.5" fill="#14213d" opacity=".35" />
        <rect x="280" y="70" width="46" height="5" rx="2.5" fill="#14213d" opacity=".35" />
        <rect x="280" y="84" width="34" height="5" rx="2.5" fill="#14213d" opacity=".35" />
        <path
          d="M283 116l10 10 22-22"
          stroke="#16a34a"
          stroke-width="7"
          fill="none"
          stroke-linecap="round"
          stroke-linejoin="round"
        />
      </g>
    </svg>
  );
}
